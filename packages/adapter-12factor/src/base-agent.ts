import { CoreErrorCode, EchelonError, silentLogger } from "@echelon/core";
import { assertJsonSerializable } from "@echelon/core/plugin";
import type {
  AgentCheckpoint,
  AgentProgress,
  AgentTask,
  BaseAgentOptions,
  ContextEntry,
  ContextEntryKind,
  RunTaskOptions,
  TaskRunContext,
} from "./agent-types.js";
import { checkCheckpoint } from "./checkpoint.js";
import { runToolCall } from "./tool-call.js";
import { AdapterErrorCode } from "./errors.js";
import { type ToolDefinition, type ToolDescriptor, ToolRegistry } from "./tool.js";
import { isToolResponse, type ToolResponse, toolFailure, toolSuccess } from "./tool-response.js";

const NEVER_ABORTED = new AbortController().signal;

function clone<T>(value: T, what: string): T {
  assertJsonSerializable(value, what);
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * An agent in the 12-Factor style: it owns its tools (JSON Schema arguments, validated), its
 * context window, its progress and its state, and answers every task with a
 * {@link ToolResponse} instead of throwing. Subclasses implement {@link registerTools} and
 * {@link executeTask}; {@link twelveFactorAgent} puts any BaseAgent to work in a hierarchy.
 *
 * @typeParam S - the agent's own JSON state, saved by `checkpoint()`
 * @example
 * ```ts
 * class Counter extends BaseAgent<{ seen: number }> {
 *   constructor() { super({ name: "counter" }, { seen: 0 }); }
 *   protected registerTools() {
 *     this.registerTool(defineTool<{ text: string }>({ name: "count_words", description: "Counts words.",
 *       parameters: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
 *       handler: ({ text }) => text.split(/\s+/).filter(Boolean).length }));
 *   }
 *   async executeTask(task: AgentTask, ctx: TaskRunContext) {
 *     this.state.seen++;
 *     return this.callTool("count_words", { text: String(task.input) }, { signal: ctx.signal });
 *   }
 * }
 * ```
 */
export abstract class BaseAgent<S extends object = Record<string, unknown>> {
  /** Name of the agent. */
  readonly name: string;
  /** What the agent does. */
  readonly description: string;
  /** The agent's own state: JSON, saved by `checkpoint()` and put back by `restore()`. */
  protected state: S;
  private readonly tools = new ToolRegistry();
  private toolsReady = false;
  private readonly maxContext: number;
  private context: ContextEntry[] = [];
  private progress: AgentProgress = { progress: 0, message: null };

  /**
   * @param options - name, description, context size
   * @param initialState - the state a fresh agent starts with (JSON)
   * @throws EchelonError `ECHELON_CONFIG_INVALID` for an empty name or a bad `maxContextEntries`
   */
  constructor(options: BaseAgentOptions, initialState: S) {
    if (typeof options?.name !== "string" || options.name.length === 0) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        "BaseAgent: options.name must be a non-empty string.",
      );
    }
    const max = options.maxContextEntries ?? 200;
    if (!Number.isInteger(max) || max < 1) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `BaseAgent "${options.name}": maxContextEntries must be a positive integer, got ${String(max)}.`,
      );
    }
    this.name = options.name;
    this.description = options.description ?? "";
    this.maxContext = max;
    this.state = clone(initialState, `initial state of agent "${options.name}"`);
  }

  /** Registers the agent's tools with {@link registerTool}. Called once, before the first tool use. */
  protected abstract registerTools(): void;

  /**
   * Does one task. Return a {@link ToolResponse}; throwing is allowed but {@link run} turns it
   * into a failed response. Honour `context.signal`.
   */
  abstract executeTask(task: AgentTask, context: TaskRunContext): Promise<ToolResponse>;

  /**
   * Adds a tool (from {@link registerTools}).
   *
   * @throws EchelonError `ECHELON_TOOL_DEFINITION_INVALID`
   */
  protected registerTool<A>(tool: ToolDefinition<A>): void {
    this.tools.add(tool);
  }

  /** The tools, ready to hand to an LLM as function declarations. */
  listTools(): ToolDescriptor[] {
    this.ensureTools();
    return this.tools.describe();
  }

  /**
   * Calls a tool by name. Arguments are checked against the tool's JSON Schema; the call and
   * its result are added to the context. Never throws.
   *
   * @param name - tool name
   * @param args - arguments (an object)
   * @param options - signal for the handler
   * @returns the tool's response; on failure `error.code` is `ECHELON_TOOL_UNKNOWN`,
   * `ECHELON_TOOL_ARGUMENTS_INVALID`, `ECHELON_TOOL_RESULT_NOT_SERIALIZABLE`, `ECHELON_TOOL_FAILED`
   * or the code of the EchelonError the handler threw
   */
  async callTool(name: string, args: unknown, options: { signal?: AbortSignal } = {}): Promise<ToolResponse> {
    const response = await this.invokeTool(name, args, options.signal ?? NEVER_ABORTED);
    this.addContext("tool_result", {
      tool: name,
      success: response.success,
      ...(response.error ? { error: response.error.code } : {}),
    });
    return response;
  }

  /**
   * Runs one task through {@link executeTask} and never throws: a throw, an abort or a
   * non-JSON result becomes a failed {@link ToolResponse}.
   *
   * @param task - the task
   * @param options - signal, attempt, idempotency key, progress listener
   * @returns the response
   */
  async run(task: AgentTask, options: RunTaskOptions = {}): Promise<ToolResponse> {
    this.ensureTools();
    const signal = options.signal ?? NEVER_ABORTED;
    const context: TaskRunContext = {
      signal,
      attempt: options.attempt ?? 1,
      idempotencyKey: options.idempotencyKey ?? `${this.name}/${task.taskId ?? task.description}`,
      orchestrationId: options.orchestrationId ?? null,
      logger: options.logger ?? silentLogger,
      report: (progress, message) => {
        const p = Math.max(0, Math.min(1, Number(progress) || 0));
        this.progress = { progress: p, message: message ?? null };
        options.onProgress?.(p, message);
      },
    };
    this.addContext("task", {
      description: task.description,
      ...(task.taskId ? { taskId: task.taskId } : {}),
    });
    let response: ToolResponse;
    try {
      if (signal.aborted) throw signal.reason;
      const answer: unknown = await this.executeTask(task, context);
      response = isToolResponse(answer) ? answer : toolSuccess(answer);
    } catch (error) {
      response = toolFailure(error, CoreErrorCode.TASK_FAILED);
    }
    try {
      assertJsonSerializable(response, `response of agent "${this.name}"`);
    } catch (error) {
      response = toolFailure(
        new EchelonError(
          AdapterErrorCode.TOOL_RESULT_NOT_SERIALIZABLE,
          `Agent "${this.name}" answered task "${task.taskId ?? task.description}" with data that is not JSON (${(error as Error).message}).`,
          { cause: error },
        ),
      );
    }
    if (response.success) context.report(1);
    return response;
  }

  /** The last progress report. */
  getProgress(): AgentProgress {
    return this.progress;
  }

  /** The context window, oldest first (a copy). */
  getContext(): ContextEntry[] {
    return [...this.context];
  }

  /**
   * Adds an entry to the context window (oldest entries drop out past `maxContextEntries`).
   *
   * @throws EchelonError `ECHELON_RESULT_NOT_SERIALIZABLE` when `data` is not JSON
   */
  protected addContext(kind: ContextEntryKind, data: unknown): void {
    this.context.push({ kind, at: Date.now(), data: clone(data, "context entry") });
    if (this.context.length > this.maxContext) this.context.splice(0, this.context.length - this.maxContext);
  }

  /** A JSON snapshot of state, context and progress; hand it to `restore()` later. */
  checkpoint(): AgentCheckpoint<S> {
    return clone(
      {
        agent: this.name,
        version: 1 as const,
        state: this.state,
        context: this.context,
        progress: this.progress,
      },
      `checkpoint of agent "${this.name}"`,
    );
  }

  /**
   * Puts back a snapshot from `checkpoint()` (also one that went through JSON).
   *
   * @throws EchelonError `ECHELON_ADAPTER_CHECKPOINT_INVALID` when it is malformed or another agent's
   */
  restore(checkpoint: unknown): void {
    const valid = checkCheckpoint<S>(checkpoint, this.name);
    const copy = clone(valid, "checkpoint");
    this.state = copy.state;
    this.context = [...copy.context];
    this.progress = copy.progress;
  }

  private ensureTools(): void {
    if (this.toolsReady) return;
    this.toolsReady = true;
    this.registerTools();
  }

  private async invokeTool(name: string, args: unknown, signal: AbortSignal): Promise<ToolResponse> {
    this.ensureTools();
    const tool = this.tools.get(name);
    if (tool === undefined) {
      return toolFailure(
        new EchelonError(
          AdapterErrorCode.TOOL_UNKNOWN,
          `Agent "${this.name}" has no tool "${name}". Available: ${this.tools.names().join(", ") || "none"}.`,
          { details: { tool: name, tools: this.tools.names() } },
        ),
      );
    }
    try {
      this.addContext("tool_call", { tool: name, args });
    } catch (error) {
      return toolFailure(
        new EchelonError(
          AdapterErrorCode.TOOL_ARGUMENTS_INVALID,
          `Arguments of tool "${name}" are not JSON (${(error as Error).message}).`,
          { details: { tool: name }, cause: error },
        ),
      );
    }
    return runToolCall(tool, args, signal);
  }
}
