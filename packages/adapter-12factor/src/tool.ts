import { EchelonError, type Logger } from "@echelon/core";
import { AdapterErrorCode } from "./errors.js";
import type { JsonSchema } from "./json-schema.js";
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
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonSchema;
  /** Does the work. Arguments are already validated against `parameters`. */
  handler(args: A, context: ToolCallContext): Promise<ToolResponse | unknown> | ToolResponse | unknown;
}

/** The public description of a tool, ready to hand to an LLM API as a function declaration. */
export interface ToolDescriptor {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
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

/** The tools of one agent, by name. Internal to {@link BaseAgent}, exported for reuse. */
export class ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition<never>>();

  /**
   * Adds a tool.
   *
   * @throws EchelonError `ECHELON_TOOL_DEFINITION_INVALID` for a bad name, a missing handler or schema, or a duplicate
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
    this.tools.set(name, tool as ToolDefinition<never>);
  }

  /** The tool named `name`, if registered. */
  get(name: string): ToolDefinition<unknown> | undefined {
    return this.tools.get(name) as ToolDefinition<unknown> | undefined;
  }

  /** Names of the registered tools, in registration order. */
  names(): string[] {
    return [...this.tools.keys()];
  }

  /** Descriptors of every tool, for an LLM's tool list. */
  describe(): ToolDescriptor[] {
    return [...this.tools.values()].map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters,
    }));
  }
}
