import { EchelonError } from "@echelon/core";
import { assertJsonSerializable } from "@echelon/core/plugin";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { AdapterErrorCode } from "./errors.js";
import type { JsonSchema, SchemaIssue } from "./json-schema.js";
import { toSchemaIssues } from "./schema-issues.js";

/** A compiled schema: checks a value, returns every problem (empty when valid). */
export type SchemaCheck = (value: unknown, root?: string) => SchemaIssue[];

/** What a schema belongs to, for error messages. */
export interface SchemaOwner {
  /** E.g. `Tool "hash_file"`. */
  readonly owner: string;
  /** Name of the schema, root of issue paths, e.g. `parameters`. */
  readonly name: string;
  /** Added to the error's details. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A schema as it was compiled: a frozen JSON copy, and its check. */
export interface CompiledSchema {
  /** Frozen copy of the schema that was compiled (later changes to the caller's object do not count). */
  readonly schema: JsonSchema;
  /** Checks a value against it. */
  readonly check: SchemaCheck;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  logger: false,
} as const;

/**
 * Checks schemas against the draft 2020-12 meta-schema. Compiling the meta-schema costs about
 * 10 ms, so it is done once per process; this instance holds only the draft's own
 * meta-schemas (user schemas are never added to it), so sharing it shares no state.
 */
let metaChecker: Ajv2020 | undefined;
function metaSchemaChecker(): Ajv2020 {
  if (metaChecker === undefined) {
    metaChecker = new Ajv2020(AJV_OPTIONS);
    formats.default(metaChecker);
  }
  return metaChecker;
}

/**
 * Compiles JSON Schemas (draft 2020-12, formats included) with its own Ajv instance. Owned by
 * a {@link ToolRegistry}, which compiles each tool's schema once, when the tool is added.
 *
 * Unknown keywords and formats are refused (strict schema mode): they are typos more often
 * than not, and a typo would silently check nothing. Types are not strict, so
 * `type: ["string", "object"]` and schemas without `type` are accepted, as LLM APIs accept them.
 *
 * @internal
 */
export class SchemaCompiler {
  // The schema was checked against the meta-schema already (by the shared checker).
  private readonly ajv = new Ajv2020({ ...AJV_OPTIONS, meta: false, validateSchema: false });

  constructor() {
    formats.default(this.ajv);
  }

  /**
   * Compiles a schema.
   *
   * @param schema - the schema
   * @param where - for messages: `owner` (e.g. `Tool "hash_file"`), `name` of the schema
   *   (e.g. `parameters`, the root of issue paths) and extra error `details`
   * @returns the frozen copy and its check
   * @throws EchelonError `ECHELON_TOOL_SCHEMA_INVALID` when it is not a valid draft 2020-12 schema
   */
  compile(schema: JsonSchema, where: SchemaOwner): CompiledSchema {
    const { owner, name } = where;
    const invalid = (problem: string, issues: readonly SchemaIssue[], cause?: unknown) =>
      new EchelonError(
        AdapterErrorCode.TOOL_SCHEMA_INVALID,
        `${owner}: ${name} is not a valid JSON Schema (draft 2020-12): ${problem}. Fix ${name} (keywords: https://json-schema.org/draft/2020-12/json-schema-validation).`,
        { details: { ...where.details, issues }, ...(cause !== undefined ? { cause } : {}) },
      );
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw invalid("it must be an object", [{ path: name, message: "must be an object" }]);
    }
    let copy: JsonSchema;
    try {
      assertJsonSerializable(schema, name);
      copy = deepFreeze(JSON.parse(JSON.stringify(schema)) as JsonSchema);
    } catch (error) {
      const message = (error as Error).message;
      throw invalid(message, [{ path: name, message }], error);
    }
    const meta = metaSchemaChecker();
    let valid: boolean;
    try {
      valid = meta.validateSchema(copy) as boolean;
    } catch (error) {
      // An unknown `$schema` (e.g. draft-07): Ajv cannot find its meta-schema.
      const message = `${(error as Error).message}; omit "$schema" or set it to "https://json-schema.org/draft/2020-12/schema"`;
      throw invalid(message, [{ path: `${name}.$schema`, message }], error);
    }
    if (!valid) {
      const issues = toSchemaIssues((meta.errors ?? []) as ErrorObject[], name);
      throw invalid(issues.map((i) => `${i.path} ${i.message}`).join("; "), issues);
    }
    let validate: ReturnType<Ajv2020["compile"]>;
    try {
      validate = this.ajv.compile(copy);
    } catch (error) {
      const message =
        error instanceof SyntaxError
          ? `a "pattern" or "patternProperties" key is not a valid Unicode regular expression (${error.message})`
          : (error as Error).message;
      throw invalid(message, [{ path: name, message }], error);
    }
    return {
      schema: copy,
      check: (value, root = "args") =>
        validate(value) ? [] : toSchemaIssues((validate.errors ?? []) as ErrorObject[], root),
    };
  }
}

/**
 * Checks a value against a JSON Schema (draft 2020-12: every keyword, formats included).
 * It compiles the schema on every call; tools compile theirs once, when registered.
 *
 * @param schema - the schema
 * @param value - the value, e.g. tool arguments parsed from an LLM's tool call
 * @param root - name of the value in issue paths. Default `args`.
 * @returns every problem found; empty when the value is valid
 * @throws EchelonError `ECHELON_TOOL_SCHEMA_INVALID` when the schema itself is invalid
 * @example
 * ```ts
 * validateJsonSchema({ type: "object", required: ["path"], properties: { path: { type: "string" } } }, {});
 * // → [{ path: "args.path", message: "is required" }]
 * ```
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, root = "args"): SchemaIssue[] {
  return new SchemaCompiler()
    .compile(schema, { owner: "validateJsonSchema", name: "schema" })
    .check(value, root);
}
