import type { ErrorObject } from "ajv/dist/2020.js";
import type { SchemaIssue } from "./json-schema.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `/files/2/name` under `args` → `args.files[2].name`. */
function pathOf(root: string, pointer: string, child?: string): string {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/");
  if (child !== undefined) segments.push(child.replaceAll("~", "~0").replaceAll("/", "~1"));
  let path = root;
  for (const raw of segments) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (/^(0|[1-9]\d*)$/.test(segment)) path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** What a value is, in the words of JSON Schema types (`NaN` and `Infinity` named as such). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? "integer" : "number";
  }
  return typeof value;
}

const literal = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Turns Ajv's errors (compiled with `verbose: true`) into issues that name the path of the bad
 * value and say what is expected.
 *
 * @param errors - `validate.errors`
 * @param root - name of the validated value in paths, e.g. `args`
 * @returns one issue per error, in Ajv's order
 * @internal
 */
export function toSchemaIssues(errors: readonly ErrorObject[], root: string): SchemaIssue[] {
  return errors.map((error) => {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "required":
        return {
          path: pathOf(root, error.instancePath, String(params.missingProperty)),
          message: "is required",
        };
      case "additionalProperties":
        return {
          path: pathOf(root, error.instancePath, String(params.additionalProperty)),
          message: "is not an allowed property",
        };
      case "unevaluatedProperties":
        return {
          path: pathOf(root, error.instancePath, String(params.unevaluatedProperty)),
          message: "is not an allowed property",
        };
      case "type":
        return {
          path: pathOf(root, error.instancePath),
          message: `must be ${String(params.type).split(",").join(" or ")}, got ${kindOf(error.data)}`,
        };
      case "enum":
        return {
          path: pathOf(root, error.instancePath),
          message: `must be one of ${(params.allowedValues as unknown[]).map(literal).join(", ")}`,
        };
      case "const":
        return { path: pathOf(root, error.instancePath), message: `must be ${literal(params.allowedValue)}` };
      default:
        return {
          path: pathOf(root, error.instancePath),
          message: error.message ?? `fails "${error.keyword}"`,
        };
    }
  });
}
