import { COMPENSATE_SUFFIX, ID_PATTERN, MAX_TIMER_MS, type SpecNodeFields } from "./schema.js";

/**
 * The keys {@link quickSpecNode} reads; any other key (also `expand`, `retry`, or a forbidden
 * key) sends the node to the schema, which accepts or explains it. @internal
 */
export const QUICK_KEYS: ReadonlySet<string> = new Set([
  "id",
  "description",
  "input",
  "capabilities",
  "priority",
  "dependsOn",
  "pattern",
  "patternOptions",
  "children",
  "compensate",
  "timeoutMs",
  "strategy",
  "metadata",
]);

function nonEmptyStrings(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const copy = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== "string" || item === "") return null;
    copy[i] = item;
  }
  return copy;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * The fast path of a TaskSpec node's schema check: for the common node (only plain fields,
 * every one well-formed) it returns what the spec node schema (`schemas().specNode`) would, without running the schema;
 * for anything else, valid or not, it returns `null` and the caller runs the schema, which stays
 * the one reference and the one source of messages. A property test holds the two equal.
 *
 * @param value - one spec node (a plain object)
 * @returns the parsed fields, or `null` when the schema must decide
 * @internal
 */
export function quickSpecNode(value: Record<string, unknown>): SpecNodeFields | null {
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) if (!QUICK_KEYS.has(keys[i]!)) return null;
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = value[key];
    if (item === undefined) {
      if (key === "description") return null;
      fields[key] = undefined;
      continue;
    }
    switch (key) {
      case "id":
        if (typeof item !== "string" || !ID_PATTERN.test(item) || item.endsWith(COMPENSATE_SUFFIX))
          return null;
        fields.id = item;
        break;
      case "description":
        if (typeof item !== "string" || item.trim().length === 0) return null;
        fields.description = item;
        break;
      case "capabilities":
      case "dependsOn": {
        const list = nonEmptyStrings(item);
        if (list === null) return null;
        fields[key] = list;
        break;
      }
      case "priority":
        if (!isFiniteNumber(item)) return null;
        fields.priority = item;
        break;
      case "pattern":
      case "strategy":
        if (typeof item !== "string" || item === "") return null;
        fields[key] = item;
        break;
      case "children":
        if (!Array.isArray(item)) return null;
        fields.children = item;
        break;
      case "timeoutMs":
        if (!isFiniteNumber(item) || item <= 0 || item > MAX_TIMER_MS) return null;
        fields.timeoutMs = item;
        break;
      default:
        // input, patternOptions, compensate, metadata: any value (checked as JSON by the reader).
        fields[key] = item;
    }
  }
  if (fields.description === undefined) return null;
  return fields as SpecNodeFields;
}
