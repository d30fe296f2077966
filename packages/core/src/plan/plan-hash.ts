import type { Plan } from "../model/task.js";

/** JSON with object keys sorted, so equal values always serialise the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * A hash of a plan's definition: sha256 of the canonical JSON of its tree (ids, descriptions,
 * inputs, patterns and options, capabilities, dependencies, compensations, timeouts, retries).
 * Resume compares it to refuse a plan that changed since the crash.
 *
 * @param plan - the plan
 * @returns `sha256:<hex>`
 */
export function hashPlan(plan: Plan): string {
  // node:crypto is loaded on first use, not at import (it costs every `import` of core a few ms).
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `sha256:${createHash("sha256").update(canonical(plan.root)).digest("hex")}`;
}
