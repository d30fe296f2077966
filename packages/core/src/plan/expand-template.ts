import type { SpecIssue } from "./issues.js";
import { isPlainObject } from "./json-value.js";
import { keyPath } from "./paths.js";

const PLACEHOLDER = /\{\{\s*(item(?:\.[A-Za-z0-9_$-]+)*|index)\s*\}\}/g;
const WHOLE = /^\{\{\s*(item(?:\.[A-Za-z0-9_$-]+)*|index)\s*\}\}$/;

/** The value at a dot path (`a.b.c`) in `value`, or `undefined`. */
export function atPath(value: unknown, path: string): unknown {
  if (path === "") return value;
  let at: unknown = value;
  for (const key of path.split(".")) {
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function placeholderValue(name: string, item: unknown, index: number): unknown {
  if (name === "index") return index;
  return atPath(item, name === "item" ? "" : name.slice("item.".length));
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Renders an expansion template for one item: in every string, `{{item}}`, `{{item.<path>}}`
 * and `{{index}}` are replaced by their text; a string that is exactly one placeholder becomes
 * the value itself (so `input: "{{item}}"` hands the item over as it is). Keys are kept.
 * Iterative over the template's depth is not needed: templates are plan-sized.
 */
export function renderTemplate(template: unknown, item: unknown, index: number): unknown {
  if (typeof template === "string") {
    const whole = WHOLE.exec(template);
    if (whole !== null) return placeholderValue(whole[1]!, item, index) ?? null;
    return template.replace(PLACEHOLDER, (_m, name: string) => text(placeholderValue(name, item, index)));
  }
  if (Array.isArray(template)) return template.map((t) => renderTemplate(t, item, index));
  if (isPlainObject(template)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(template)) out[key] = renderTemplate(template[key], item, index);
    return out;
  }
  return template;
}

/**
 * Renders a task template for one item ({@link renderTemplate}), except the template of a
 * nested expansion (`expand.each`, in the task or any task under it): its placeholders belong to
 * the nested expansion's own items and are kept as written.
 */
export function renderTaskTemplate(template: unknown, item: unknown, index: number): unknown {
  if (!isPlainObject(template)) return renderTemplate(template, item, index);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(template)) {
    const value = template[key];
    if (key === "expand" && isPlainObject(value)) {
      const { each, ...rest } = value;
      out[key] = {
        ...(renderTemplate(rest, item, index) as object),
        ...(each !== undefined ? { each } : {}),
      };
    } else if (key === "children" && Array.isArray(value)) {
      out[key] = value.map((child) => renderTaskTemplate(child, item, index));
    } else if (key === "compensate") {
      out[key] = renderTaskTemplate(value, item, index);
    } else {
      out[key] = renderTemplate(value, item, index);
    }
  }
  return out;
}

/**
 * A stand-in rendering used to check a template's shape at plan time: placeholders become
 * "item"; the id and `dependsOn` (which name siblings made at run time) are left out.
 */
export function sampleOfTemplate(template: unknown): unknown {
  const sample = standIn(template);
  if (!isPlainObject(sample)) return sample;
  const { id, dependsOn: _siblings, ...rest } = sample;
  return isPlainObject(template) && typeof template.id === "string" && !template.id.includes("{{")
    ? { id, ...rest }
    : rest;
}

/** Every placeholder replaced by the text "item" (a whole-placeholder string too). */
function standIn(template: unknown): unknown {
  if (typeof template === "string") return template.replace(PLACEHOLDER, "item");
  if (Array.isArray(template)) return template.map(standIn);
  if (isPlainObject(template)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(template)) out[key] = standIn(template[key]);
    return out;
  }
  return template;
}

/** Rules of the `expand` field of one spec node (the shape itself is checked by the schema). */
export function checkExpandRules(
  value: Record<string, unknown>,
  path: string,
  childCount: number,
  issues: SpecIssue[],
): void {
  if (!isPlainObject(value.expand)) return;
  if (childCount > 0) {
    issues.push({
      path: keyPath(path, "expand"),
      message: 'a task that expands gets its children at run time; remove "children" or "expand"',
    });
  }
  if (value.expand.each !== undefined && value.pattern === undefined) {
    issues.push({
      path: keyPath(path, "pattern"),
      message: 'a task that expands with "each" needs a pattern to coordinate the children it makes',
    });
  }
  if (value.expand.each !== undefined && !isPlainObject(value.expand.each)) {
    issues.push({
      path: keyPath(keyPath(path, "expand"), "each"),
      message: "must be a task template object",
    });
  }
}
