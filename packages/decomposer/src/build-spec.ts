import type { TaskSpec } from "@echelon/core";
import { complexityForHeight } from "@echelon/core/plugin";
import { type CapabilityRule, inferCapabilities } from "./capabilities.js";
import type { Outline } from "./outline.js";
import { type PatternChoice, preferredPattern, resolvePattern } from "./patterns.js";
import { levelsFor, outlineHeight, quantityLevels, type Shape } from "./shape.js";
import { compensationFor } from "./text/compensation.js";
import { PRIORITY_RULES } from "./text/lexicon.js";
import { formatCount, type Quantity } from "./text/quantity.js";
import { capitalize } from "./text/scan.js";

/** Everything the builder needs besides the outline. @internal */
export interface BuildContext extends Shape {
  readonly registered: ReadonlySet<string> | null;
  readonly forced: string | undefined;
  readonly rules: readonly CapabilityRule[] | null;
  readonly maxCapabilities: number;
}

type Mutable = {
  -readonly [K in keyof TaskSpec]: TaskSpec[K];
};

/** Priority stated by the text, if any. @internal */
export function priorityOf(text: string): number | undefined {
  const lower = text.toLowerCase();
  for (const [pattern, value] of PRIORITY_RULES) if (pattern.test(lower)) return value;
  return undefined;
}

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length === 0) return "task";
  if (s.length <= 40) return s;
  // Keep both ends: siblings usually differ at the end ("…-provider-1", "…-provider-2").
  const head = s.slice(0, 20).replace(/-[^-]*$/, "") || s.slice(0, 20);
  const tail = s.slice(-19).replace(/^[^-]*-/, "") || s.slice(-19);
  return `${head}--${tail}`;
}

/** Assigns ids from descriptions, unique among siblings. @internal */
export function assignIds(children: Mutable[]): void {
  const used = new Set<string>();
  for (const child of children) {
    const base = slug(child.description);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    child.id = id;
  }
}

function leafSpec(
  description: string,
  priority: number,
  context: BuildContext,
  outline?: Outline,
  known?: readonly string[],
): Mutable {
  const spec: Mutable = { description };
  if (context.rules !== null) {
    const capabilities = known ?? inferCapabilities(description, context.rules, context.maxCapabilities);
    if (capabilities.length > 0) spec.capabilities = capabilities;
  }
  if (priority !== 0) spec.priority = priority;
  if (outline !== undefined && outline.kind !== "leaf") {
    // Cut by the depth budget: say how much decomposition the text itself would need.
    const complexity = complexityForHeight(outlineHeight(outline, 64, context));
    if (complexity !== "atomic") spec.metadata = { complexity };
  }
  return spec;
}

function composite(
  spec: Mutable,
  choice: PatternChoice,
  children: Mutable[],
  rule: string,
  context: BuildContext,
): Mutable {
  assignIds(children);
  if (choice.chain) {
    for (let i = 1; i < children.length; i++) children[i]!.dependsOn = [children[i - 1]!.id!];
  }
  if (choice.compensate) {
    for (const child of children) {
      const description = compensationFor(child.description);
      const compensate: Mutable = leafSpec(description, child.priority ?? 0, context);
      compensate.metadata = { compensates: child.id };
      child.compensate = compensate;
    }
  }
  spec.pattern = choice.pattern;
  spec.children = children;
  spec.metadata = { ...spec.metadata, rule };
  return spec;
}

function rangeText(q: Quantity, from: number, to: number): string {
  const phrase =
    from === to
      ? `${q.singular} ${formatCount(from)}`
      : `${q.plural} ${formatCount(from)}\u2013${formatCount(to)}`;
  return capitalize(`${q.before}${phrase}${q.after}`.replace(/\s+/g, " ").trim());
}

function quantityChildren(
  q: Quantity,
  levels: number,
  priority: number,
  context: BuildContext,
  choice: PatternChoice,
): Mutable[] {
  const f = context.maxFanOut;
  const perUnit = Math.ceil(q.count / f ** levels);
  const units = Math.ceil(q.count / perUnit);
  // Batches differ only in their numbers: infer their capabilities once.
  const capabilities =
    context.rules === null
      ? []
      : inferCapabilities(rangeText(q, 1, 2), context.rules, context.maxCapabilities);
  const items = (u1: number, u2: number): [number, number] => [
    (u1 - 1) * perUnit + 1,
    Math.min(u2 * perUnit, q.count),
  ];
  const range = (u1: number, u2: number, level: number): Mutable[] => {
    const n = u2 - u1 + 1;
    const size = Math.max(1, f ** (Math.min(levelsFor(n, f), level) - 1));
    const out: Mutable[] = [];
    for (let u = u1; u <= u2; u += size) {
      const end = Math.min(u + size - 1, u2);
      const [from, to] = items(u, end);
      const description = rangeText(q, from, to);
      if (end === u || level <= 1) {
        const leaf = leafSpec(description, priority, context, undefined, capabilities);
        leaf.input = { unit: q.singular, from, to, of: q.count };
        out.push(leaf);
      } else {
        const group: Mutable = { description };
        if (priority !== 0) group.priority = priority;
        group.input = { unit: q.singular, from, to, of: q.count };
        out.push(composite(group, choice, range(u, end, level - 1), "quantity", context));
      }
    }
    return out;
  };
  return range(1, units, levels);
}

/**
 * Turns an outline into a TaskSpec tree that fits in `budget` levels below it, choosing and
 * fitting a pattern for every composite node.
 *
 * @internal
 */
export function buildSpec(
  outline: Outline,
  description: string,
  budget: number,
  inherited: number,
  context: BuildContext,
): Mutable {
  const priority = priorityOf(outline.text) ?? inherited;
  const cut = outline.kind === "quantity" && quantityLevels(outline.quantity.count, budget, context) === 0;
  if (budget <= 0 || outline.kind === "leaf" || cut) return leafSpec(description, priority, context, outline);
  const choice = resolvePattern(preferredPattern(outline), context.registered, context.forced);
  if (choice === null) return leafSpec(description, priority, context, outline);
  const spec: Mutable = { description };
  if (priority !== 0) spec.priority = priority;
  switch (outline.kind) {
    case "consensus": {
      const capabilities =
        context.rules === null
          ? []
          : ["review", ...inferCapabilities(outline.text, context.rules, context.maxCapabilities)];
      const reviewers = Array.from({ length: outline.count }, (_, i): Mutable => {
        const reviewer: Mutable = { description: `${outline.role} ${i + 1} of ${outline.count}` };
        const unique = [...new Set(capabilities)].slice(0, Math.max(context.maxCapabilities, 1));
        if (unique.length > 0) reviewer.capabilities = unique;
        if (priority !== 0) reviewer.priority = priority;
        reviewer.input = { question: outline.text, reviewer: i + 1, of: outline.count };
        return reviewer;
      });
      spec.input = { question: outline.text };
      if (choice.pattern === "scatter-gather" && /\bvot(?:e|es|ed|ing|ers?)\b/i.test(outline.text)) {
        spec.patternOptions = { gather: "majority" };
      }
      return composite(spec, choice, reviewers, "consensus", context);
    }
    case "quantity": {
      const q = outline.quantity;
      const levels = quantityLevels(q.count, budget, context);
      spec.input = {
        unit: q.singular,
        from: 1,
        to: q.count,
        of: q.count,
        ...(q.atLeast ? { atLeast: true } : {}),
      };
      return composite(
        spec,
        choice,
        quantityChildren(q, levels, priority, context, choice),
        "quantity",
        context,
      );
    }
    case "group": {
      const children = outline.children.map((child) =>
        buildSpec(child, child.text, budget - 1, priority, context),
      );
      const facts: Record<string, string[]> = {};
      if (outline.constraints.length > 0) facts.constraints = [...outline.constraints];
      if (outline.notes.length > 0) facts.notes = [...outline.notes];
      if (Object.keys(facts).length > 0) spec.metadata = facts;
      return composite(spec, choice, children, outline.rule, context);
    }
  }
}
