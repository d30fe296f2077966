import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BaseAgent,
  defineTool,
  type JsonSchema,
  type SchemaIssue,
  type ToolResponse,
  validateJsonSchema,
} from "../src/index.js";

/** An agent with one tool, `echo`, that answers with its (validated) arguments. */
class EchoAgent extends BaseAgent {
  constructor(private readonly schema: JsonSchema) {
    super({ name: "echo-agent" }, {});
  }
  protected registerTools(): void {
    this.registerTool(
      defineTool({
        name: "echo",
        description: "Answers with its arguments.",
        parameters: this.schema,
        handler: (args) => args,
      }),
    );
  }
  async executeTask(): Promise<ToolResponse> {
    return { success: true, data: null };
  }
}

const issuesOf = (response: ToolResponse) => (response.error?.details?.issues ?? []) as SchemaIssue[];

const object = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  type: "object",
  properties,
  ...extra,
});

/** [keyword, schema, valid arguments, invalid arguments, path of the issue, words of its message] */
const cases: Array<[string, JsonSchema, unknown, unknown, string, string]> = [
  [
    "pattern",
    object({ id: { type: "string", pattern: "^[a-z]+-\\d+$" } }),
    { id: "job-1" },
    { id: "Job 1" },
    "args.id",
    'must match pattern "^[a-z]+-\\d+$"',
  ],
  [
    "oneOf",
    object({ target: { oneOf: [{ type: "string" }, { type: "integer" }] } }),
    { target: 3 },
    { target: true },
    "args.target",
    "must match exactly one schema in oneOf",
  ],
  [
    "anyOf",
    object({
      n: {
        anyOf: [
          { type: "integer", maximum: 5 },
          { type: "integer", minimum: 10 },
        ],
      },
    }),
    { n: 12 },
    { n: 7 },
    "args.n",
    "must match a schema in anyOf",
  ],
  [
    "allOf",
    object({
      s: {
        allOf: [
          { type: "string", minLength: 2 },
          { type: "string", maxLength: 3 },
        ],
      },
    }),
    { s: "abc" },
    { s: "abcd" },
    "args.s",
    "must NOT have more than 3 characters",
  ],
  [
    "$ref/$defs",
    {
      type: "object",
      $defs: { port: { type: "integer", minimum: 1, maximum: 65535 } },
      properties: { port: { $ref: "#/$defs/port" } },
    },
    { port: 8080 },
    { port: 70000 },
    "args.port",
    "must be <= 65535",
  ],
  [
    "enum",
    object({ level: { enum: ["low", "high"] } }),
    { level: "low" },
    { level: "mid" },
    "args.level",
    'must be one of "low", "high"',
  ],
  ["const", object({ version: { const: 2 } }), { version: 2 }, { version: 1 }, "args.version", "must be 2"],
  [
    "format",
    object({ email: { type: "string", format: "email" } }),
    { email: "a@b.example" },
    { email: "not an address" },
    "args.email",
    'must match format "email"',
  ],
  [
    "additionalProperties (schema)",
    object({}, { additionalProperties: { type: "number" } }),
    { a: 1, b: 2 },
    { a: 1, b: "2" },
    "args.b",
    "must be number, got string",
  ],
  [
    "exclusiveMinimum",
    object({ ratio: { type: "number", exclusiveMinimum: 0 } }),
    { ratio: 0.5 },
    { ratio: 0 },
    "args.ratio",
    "must be > 0",
  ],
  [
    "multipleOf",
    object({ step: { type: "integer", multipleOf: 5 } }),
    { step: 15 },
    { step: 12 },
    "args.step",
    "must be multiple of 5",
  ],
  [
    "uniqueItems",
    object({ tags: { type: "array", uniqueItems: true } }),
    { tags: ["a", "b"] },
    { tags: ["a", "a"] },
    "args.tags",
    "must NOT have duplicate items",
  ],
  [
    "prefixItems",
    object({ pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] } }),
    { pair: ["x", 1] },
    { pair: ["x", "y"] },
    "args.pair[1]",
    "must be number",
  ],
  [
    "dependentRequired",
    object(
      { user: { type: "string" }, password: { type: "string" } },
      { dependentRequired: { user: ["password"] } },
    ),
    { user: "u", password: "p" },
    { user: "u" },
    "args",
    "must have property password when property user is present",
  ],
  [
    "not",
    object({ name: { type: "string", not: { const: "root" } } }),
    { name: "ada" },
    { name: "root" },
    "args.name",
    "must NOT be valid",
  ],
  [
    "required",
    object({ path: { type: "string" } }, { required: ["path"] }),
    { path: "x" },
    {},
    "args.path",
    "is required",
  ],
  [
    "additionalProperties: false",
    object({ a: { type: "string" } }, { additionalProperties: false }),
    { a: "x" },
    { a: "x", b: 1 },
    "args.b",
    "is not an allowed property",
  ],
  [
    "minItems on nested items",
    object({
      files: {
        type: "array",
        items: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
      },
    }),
    { files: [{ name: "a" }] },
    { files: [{ name: "a" }, { name: "" }] },
    "args.files[1].name",
    "must NOT have fewer than 1 characters",
  ],
];

describe("tool arguments are checked against the full JSON Schema (draft 2020-12)", () => {
  it.each(cases)(
    "%s: valid arguments reach the handler, invalid ones are refused with path and reason",
    async (_k, schema, valid, invalid, path, words) => {
      const agent = new EchoAgent(schema);
      expect(await agent.callTool("echo", valid)).toEqual({ success: true, data: valid });
      const refused = await agent.callTool("echo", invalid);
      expect(refused.success).toBe(false);
      expect(refused.error?.code).toBe("ECHELON_TOOL_ARGUMENTS_INVALID");
      expect(issuesOf(refused)).toContainEqual({ path, message: expect.stringContaining(words) });
      expect(refused.error?.message).toContain(`${path} ${words}`);
    },
  );

  it("accepts a schema that names draft 2020-12 in $schema", async () => {
    const agent = new EchoAgent({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" });
    expect(await agent.callTool("echo", { a: 1 })).toEqual({ success: true, data: { a: 1 } });
  });

  it("refuses non-finite numbers where a number is expected", () => {
    expect(validateJsonSchema({ type: "number" }, Number.NaN)).toEqual([
      { path: "args", message: "must be number, got NaN" },
    ]);
  });
});

describe("tool schemas are checked when the tool is registered", () => {
  const invalid: Array<[string, JsonSchema, string]> = [
    ["an unknown type", { type: "strin" as never }, "type"],
    ["a negative length", object({ s: { type: "string", minLength: -1 } }), "minLength"],
    ["a $ref to nothing", object({ a: { $ref: "#/$defs/missing" } }), "#/$defs/missing"],
    ["a misspelt keyword", object({ s: { type: "string", minLenght: 3 } }), "minLenght"],
    ["an unknown format", object({ s: { type: "string", format: "emial" } }), "emial"],
    ["a broken regular expression", object({ s: { type: "string", pattern: "(" } }), "pattern"],
    [
      "another draft's $schema",
      { $schema: "http://json-schema.org/draft-07/schema#", type: "object" },
      "draft/2020-12",
    ],
  ];
  it.each(invalid)(
    "refuses %s with ECHELON_TOOL_SCHEMA_INVALID naming the tool and the problem",
    (_what, schema, named) => {
      const agent = new EchoAgent(schema);
      let thrown: unknown;
      try {
        agent.listTools();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: "ECHELON_TOOL_SCHEMA_INVALID", details: { tool: "echo" } });
      expect((thrown as Error).message).toContain('Tool "echo"');
      expect((thrown as Error).message).toContain(named);
    },
  );

  it("validateJsonSchema refuses an invalid schema with the same code", () => {
    expect(() => validateJsonSchema({ type: "object", required: "path" as never }, {})).toThrow(
      expect.objectContaining({ code: "ECHELON_TOOL_SCHEMA_INVALID" }),
    );
  });
});

describe("tool schemas are compiled once", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("compiles a tool's schema at registration, not on every call", async () => {
    const compile = vi.spyOn(Ajv2020.prototype, "compile");
    const agent = new EchoAgent(object({ n: { type: "integer" } }, { required: ["n"] }));
    agent.listTools();
    expect(compile).toHaveBeenCalledTimes(1);
    for (let n = 0; n < 5; n++) expect((await agent.callTool("echo", { n })).success).toBe(true);
    expect((await agent.callTool("echo", { n: "x" })).success).toBe(false);
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("validates against the schema as registered, even if the caller's object changes later", async () => {
    const schema = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] } as {
      type: "object";
      properties: Record<string, JsonSchema>;
      required: string[];
    };
    const agent = new EchoAgent(schema);
    agent.listTools();
    schema.required.pop();
    expect((await agent.callTool("echo", {})).error?.code).toBe("ECHELON_TOOL_ARGUMENTS_INVALID");
    expect(agent.listTools()[0]?.parameters.required).toEqual(["n"]);
  });
});
