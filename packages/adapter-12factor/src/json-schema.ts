/** JSON types a {@link JsonSchema} can name. */
export type JsonSchemaType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

/**
 * The subset of JSON Schema (draft 2020-12 keywords) tool arguments are described with. It is
 * what LLM function-calling APIs accept, and what {@link validateJsonSchema} checks.
 */
export interface JsonSchema {
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** One problem found by {@link validateJsonSchema}. */
export interface SchemaIssue {
  /** Where, e.g. `args.files[2]`. */
  readonly path: string;
  /** What is wrong and what is expected. */
  readonly message: string;
}

function typeOf(value: unknown): JsonSchemaType | "undefined" | "other" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      return Number.isFinite(value) ? (Number.isInteger(value) ? "integer" : "number") : "other";
    case "object":
      return "object";
    case "undefined":
      return "undefined";
    default:
      return "other";
  }
}

function matchesType(actual: ReturnType<typeof typeOf>, wanted: JsonSchemaType): boolean {
  return actual === wanted || (wanted === "number" && actual === "integer");
}

function checkBounds(schema: JsonSchema, value: unknown, path: string, issues: SchemaIssue[]): void {
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      issues.push({ path, message: `must be >= ${schema.minimum}, got ${value}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      issues.push({ path, message: `must be <= ${schema.maximum}, got ${value}` });
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      issues.push({ path, message: `must have at least ${schema.minLength} characters` });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      issues.push({ path, message: `must have at most ${schema.maxLength} characters` });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      issues.push({ path, message: `must have at least ${schema.minItems} items` });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      issues.push({ path, message: `must have at most ${schema.maxItems} items` });
    }
  }
}

function check(schema: JsonSchema, value: unknown, path: string, issues: SchemaIssue[]): void {
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const wanted = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!wanted.some((t) => matchesType(actual, t))) {
      issues.push({ path, message: `must be ${wanted.join(" or ")}, got ${actual}` });
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
    issues.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}` });
  }
  checkBounds(schema, value, path, issues);
  if (actual === "array" && schema.items !== undefined) {
    const items = schema.items;
    (value as unknown[]).forEach((item, i) => {
      check(items, item, `${path}[${i}]`, issues);
    });
  }
  if (actual === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(record, key) || record[key] === undefined) {
        issues.push({ path: `${path}.${key}`, message: "is required" });
      }
    }
    for (const [key, item] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub !== undefined) {
        if (item !== undefined) check(sub, item, `${path}.${key}`, issues);
      } else if (schema.additionalProperties === false) {
        issues.push({ path: `${path}.${key}`, message: "is not an allowed property" });
      }
    }
  }
}

/**
 * Checks a value against a {@link JsonSchema} (the subset it declares: type, enum, properties,
 * required, additionalProperties, items, numeric and length bounds).
 *
 * @param schema - the schema
 * @param value - the value, e.g. tool arguments parsed from an LLM's tool call
 * @param root - name of the value in issue paths. Default `args`.
 * @returns every problem found; empty when the value is valid
 * @example
 * ```ts
 * validateJsonSchema({ type: "object", required: ["path"], properties: { path: { type: "string" } } }, {});
 * // → [{ path: "args.path", message: "is required" }]
 * ```
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, root = "args"): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(schema, value, root, issues);
  return issues;
}
