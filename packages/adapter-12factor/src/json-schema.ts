/** JSON types a {@link JsonSchema} can name. */
export type JsonSchemaType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

/** A subschema: a schema object, or `true` (anything) / `false` (nothing). */
export type JsonSubschema = JsonSchema | boolean;

/**
 * A JSON Schema (draft 2020-12), as LLM function-calling APIs accept it for tool arguments.
 * Every keyword of the draft is checked (by Ajv), formats included (`email`, `date-time`,
 * `uri`, `uuid`, …). The common keywords are typed below; unknown keywords are refused when a
 * tool is registered, because they are nearly always typos (`minLenght`) that would silently
 * check nothing.
 */
export interface JsonSchema {
  /** Must be `https://json-schema.org/draft/2020-12/schema` when given. */
  readonly $schema?: string;
  /** Identifier of the schema (a URI). */
  readonly $id?: string;
  /** Reference to another schema, e.g. `#/$defs/port`. */
  readonly $ref?: string;
  /** Schemas for `$ref` to point at, by name. */
  readonly $defs?: Readonly<Record<string, JsonSubschema>>;
  /** A note for schema authors; ignored. */
  readonly $comment?: string;
  /** Short title (annotation). */
  readonly title?: string;
  /** What the value means; LLMs read it. */
  readonly description?: string;
  /** Default value (annotation; not filled in). */
  readonly default?: unknown;
  /** Example values (annotation). */
  readonly examples?: readonly unknown[];
  /** Allowed JSON type(s). */
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  /** The value must equal one of these. */
  readonly enum?: readonly unknown[];
  /** The value must equal this. */
  readonly const?: unknown;
  /** Schemas of named properties. */
  readonly properties?: Readonly<Record<string, JsonSubschema>>;
  /** Schemas of properties whose names match a regular expression. */
  readonly patternProperties?: Readonly<Record<string, JsonSubschema>>;
  /** Schema of the other properties; `false` forbids them. */
  readonly additionalProperties?: JsonSubschema;
  /** Properties that must be present. */
  readonly required?: readonly string[];
  /** Schema every property name must match. */
  readonly propertyNames?: JsonSubschema;
  /** Fewest properties. */
  readonly minProperties?: number;
  /** Most properties. */
  readonly maxProperties?: number;
  /** When the key is present, these properties must be too. */
  readonly dependentRequired?: Readonly<Record<string, readonly string[]>>;
  /** When the key is present, the object must also match this schema. */
  readonly dependentSchemas?: Readonly<Record<string, JsonSubschema>>;
  /** Schema of the array items (after `prefixItems`). */
  readonly items?: JsonSubschema;
  /** Schemas of the first items, by position. */
  readonly prefixItems?: readonly JsonSubschema[];
  /** Some item must match this schema. */
  readonly contains?: JsonSubschema;
  /** Fewest items matching `contains`. */
  readonly minContains?: number;
  /** Most items matching `contains`. */
  readonly maxContains?: number;
  /** Fewest items. */
  readonly minItems?: number;
  /** Most items. */
  readonly maxItems?: number;
  /** Items must be distinct. */
  readonly uniqueItems?: boolean;
  /** Smallest number allowed. */
  readonly minimum?: number;
  /** Largest number allowed. */
  readonly maximum?: number;
  /** The number must be greater than this. */
  readonly exclusiveMinimum?: number;
  /** The number must be less than this. */
  readonly exclusiveMaximum?: number;
  /** The number must be a multiple of this. */
  readonly multipleOf?: number;
  /** Fewest characters. */
  readonly minLength?: number;
  /** Most characters. */
  readonly maxLength?: number;
  /** Regular expression (Unicode) the string must match. */
  readonly pattern?: string;
  /** Named format: `date-time`, `date`, `time`, `duration`, `email`, `hostname`, `ipv4`, `ipv6`, `uri`, `uri-reference`, `uuid`, `regex`, … */
  readonly format?: string;
  /** The value must match every schema. */
  readonly allOf?: readonly JsonSubschema[];
  /** The value must match at least one schema. */
  readonly anyOf?: readonly JsonSubschema[];
  /** The value must match exactly one schema. */
  readonly oneOf?: readonly JsonSubschema[];
  /** The value must not match this schema. */
  readonly not?: JsonSubschema;
  /** When the value matches `if`, it must match `then`, otherwise `else`. */
  readonly if?: JsonSubschema;
  /** See `if`. */
  readonly then?: JsonSubschema;
  /** See `if`. */
  readonly else?: JsonSubschema;
  /** Any other draft 2020-12 keyword (`unevaluatedProperties`, `contentMediaType`, …). */
  readonly [keyword: string]: unknown;
}

/** One problem found in a value (or in a schema). */
export interface SchemaIssue {
  /** Where, e.g. `args.files[2].name`. */
  readonly path: string;
  /** What is wrong and what is expected, e.g. `must match format "email"`. */
  readonly message: string;
}
