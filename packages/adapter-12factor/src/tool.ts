import { EchelonError, type Logger } from "@echelon/core";
import { AdapterErrorCode } from "./errors.js";
import type { JsonSchema } from "./json-schema.js";
import { type CompiledSchema, SchemaCompiler } from "./schema-compiler.js";
import type { ToolResponse } from "./tool-response.js";

/** What a tool handler gets besides its arguments. */
export interface ToolCallContext {
  /** Aborted when the caller gives up (task timeout, cancellation). */
  readonly signal: AbortSignal;
  /** Logger. */
  readonly logger: Logger;
}

/**
 * A tool an agent offers: a name and description an LLM reads, a JSON Schema for the
 * arguments, and the handler. The handler may return a {@link ToolResponse} or plain data
 * (wrapped as a success); anything it throws becomes a failed ToolResponse.
 */
export interface ToolDefinition<A = Record<string, unknown>> {
  /** Unique within the agent; `snake_case` by convention (LLM tool names). */
  readonly name: string;
  /** What the tool does and when to call it. */
  readonly description: string;
  /** JSON Schema (draft 2020-12) of the arguments object; checked when the tool is registered. */
  readonly parameters: JsonSchema;
  /** Does the work. Arguments are already validated against `parameters`. */
  handler(args: A, context: ToolCallContext): Promise<ToolResponse | unknown> | ToolResponse | unknown;
}

/** The public description of a tool, ready to hand to an LLM API as a function declaration. */
export interface ToolDescriptor {
  /** The tool's name. */
  readonly name: string;
  /** What the tool does and when to call it. */
  readonly description: string;
  /** JSON Schema of the arguments, as registered (a frozen copy). */
  readonly parameters: JsonSchema;
}

/** A registered tool with its compiled argument schema. */
export interface RegisteredTool {
  /** The tool as defined. */
  readonly tool: ToolDefinition<unknown>;
  /** Its `parameters`, compiled once at registration. */
  readonly parameters: CompiledSchema;
}

const TOOL_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

/**
 * Typed identity helper for tool definitions.
 *
 * @param tool - the tool
 * @returns the same tool
 * @example
 * ```ts
 * const wordCount = defineTool<{ text: string }>({
 *   name: "word_count", description: "Counts words.",
 *   parameters: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
 *   handler: ({ text }) => text.split(/\s+/).filter(Boolean).length,
 * });
 * ```
 */
export function defineTool<A = Record<string, unknown>>(tool: ToolDefinition<A>): ToolDefinition<A> {
  return tool;
}

/**
 * The tools of one agent, by name, each with its argument schema compiled once, when added.
 * Internal to {@link BaseAgent}, exported for reuse.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private readonly compiler = new SchemaCompiler();

  /**
   * Adds a tool and compiles its `parameters`.
   *
   * @throws EchelonError `ECHELON_TOOL_DEFINITION_INVALID` for a bad name, a missing handler or schema, or a duplicate
   * @throws EchelonError `ECHELON_TOOL_SCHEMA_INVALID` when `parameters` is not a valid JSON Schema (draft 2020-12)
   */
  add<A>(tool: ToolDefinition<A>): void {
    const name = (tool as { name?: unknown }).name;
    if (typeof name !== "string" || !TOOL_NAME.test(name)) {
      throw new EchelonError(
        AdapterErrorCode.TOOL_DEFINITION_INVALID,
        `Tool name ${JSON.stringify(name)} is invalid: use 1-64 letters, digits, "_" or "-", starting with a letter.`,
        { details: { tool: String(name) } },
      );
    }
    if (
      typeof tool.handler !== "function" ||
      typeof tool.parameters !== "object" ||
      tool.parameters === null
    ) {
      throw new EchelonError(
        AdapterErrorCode.TOOL_DEFINITION_INVALID,
        `Tool "${name}" needs a handler function and a JSON Schema in "parameters".`,
        { details: { tool: name } },
      );
    }
    if (this.tools.has(name)) {
      throw new EchelonError(
        AdapterErrorCode.TOOL_DEFINITION_INVALID,
        `Tool "${name}" is already registered; give each tool a distinct name.`,
        { details: { tool: name } },
      );
    }
    const parameters = this.compiler.compile(tool.parameters, {
      owner: `Tool "${name}"`,
      name: "parameters",
      details: { tool: name },
    });
    this.tools.set(name, { tool: tool as ToolDefinition<unknown>, parameters });
  }

  /** The tool named `name` with its compiled schema, if registered. */
  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  /** Names of the registered tools, in registration order. */
  names(): string[] {
    return [...this.tools.keys()];
  }

  /** Descriptors of every tool, for an LLM's tool list. */
  describe(): ToolDescriptor[] {
    return [...this.tools.values()].map(({ tool, parameters }) => ({
      name: tool.name,
      description: tool.description,
      parameters: parameters.schema,
    }));
  }
}
