import { randomUUID } from "node:crypto";
import {
  CoreErrorCode,
  EchelonError,
  type HierarchicalOrchestrator,
  type OrchestrationResult,
  type TaskSpec,
  toEchelonError,
} from "@echelon/core";
import type { AgentTask, TaskRunContext } from "./agent-types.js";
import { BaseAgent } from "./base-agent.js";
import { hierarchyResponse, resultResponse } from "./orchestration-responses.js";
import { ORCHESTRATION_TOOL_SCHEMAS, type OrchestrationToolName } from "./orchestration-tool-schemas.js";
import { type ToolError, type ToolResponse, toolFailure, toolSuccess } from "./tool-response.js";

/** The orchestrator features the agent's tools use; a `HierarchicalOrchestrator` has them all. */
export type ToolOrchestrator = Pick<
  HierarchicalOrchestrator,
  | "orchestrateComplexTask"
  | "getOrchestrationStatus"
  | "cancelOrchestration"
  | "pauseOrchestration"
  | "resumeOrchestration"
  | "hasOrchestration"
  | "getAgentHierarchy"
  | "events"
>;

/** Options of {@link OrchestrationEnabledAgent}. */
export interface OrchestrationEnabledAgentOptions {
  /** The orchestrator the tools drive. */
  readonly orchestrator: ToolOrchestrator;
  /** Agent name. Default `orchestration-agent`. */
  readonly name?: string;
  /** Finished orchestrations whose result the agent remembers for `get_orchestration_status`. Default 100. */
  readonly remember?: number;
}

/** State of an {@link OrchestrationEnabledAgent}: the orchestrations it launched, oldest first. */
export interface OrchestrationAgentState {
  /** Ids of the orchestrations the agent launched, oldest first (at most `remember`). */
  launched: string[];
}

interface Launched {
  settled: boolean;
  result: OrchestrationResult | null;
  error: ToolError | null;
}

interface OrchestrateArgs {
  readonly task: string | TaskSpec;
  readonly orchestrationId?: string;
  readonly pattern?: string;
  readonly wait?: boolean;
}

/**
 * A 12-Factor agent whose tools drive an orchestrator, so an LLM can start, watch, pause,
 * resume and cancel orchestrations and see the agent hierarchy by tool calls:
 * `orchestrate_complex_task`, `get_orchestration_status`, `cancel_orchestration`,
 * `pause_orchestration`, `resume_orchestration`, `get_agent_hierarchy`. Every tool has a JSON Schema and answers with a
 * {@link ToolResponse}; errors (`ECHELON_SPEC_INVALID`, `ECHELON_ORCHESTRATION_UNKNOWN`, …) come
 * back compacted, never thrown. As a task, it orchestrates the task's spec or text and
 * reports the orchestration's progress.
 *
 * @example
 * ```ts
 * const agent = new OrchestrationEnabledAgent({ orchestrator });
 * const started = await agent.callTool("orchestrate_complex_task", { task: spec, wait: false });
 * const status = await agent.callTool("get_orchestration_status", { orchestrationId: started.data.orchestrationId });
 * const hierarchy = await agent.callTool("get_agent_hierarchy", {}); // data: the HierarchySnapshot
 * ```
 */
export class OrchestrationEnabledAgent extends BaseAgent<OrchestrationAgentState> {
  private readonly orchestrator: ToolOrchestrator;
  private readonly remember: number;
  private readonly launched = new Map<string, Launched>();

  /**
   * @param options - the orchestrator, a name, how many results to remember
   * @throws EchelonError `ECHELON_CONFIG_INVALID` without an orchestrator
   */
  constructor(options: OrchestrationEnabledAgentOptions) {
    super(
      { name: options?.name ?? "orchestration-agent", description: "Runs complex tasks as orchestrations." },
      { launched: [] },
    );
    if (typeof options?.orchestrator?.orchestrateComplexTask !== "function") {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        "OrchestrationEnabledAgent: options.orchestrator must be a HierarchicalOrchestrator.",
      );
    }
    this.orchestrator = options.orchestrator;
    this.remember = options.remember ?? 100;
  }

  protected registerTools(): void {
    const s = ORCHESTRATION_TOOL_SCHEMAS;
    const tool = (
      name: OrchestrationToolName,
      description: string,
      handler: (args: never, signal: AbortSignal) => Promise<ToolResponse> | ToolResponse,
    ) =>
      this.registerTool({
        name,
        description,
        parameters: s[name],
        handler: (args, ctx) => handler(args as never, ctx.signal),
      });
    tool(
      "orchestrate_complex_task",
      "Decomposes a complex task and runs it over the agent hierarchy.",
      (a: OrchestrateArgs, signal) => this.orchestrate(a, signal),
    );
    tool(
      "get_orchestration_status",
      "Progress and per-task states of an orchestration; its result once finished.",
      (a: { orchestrationId: string }) => this.status(a.orchestrationId),
    );
    tool(
      "cancel_orchestration",
      "Cancels a running orchestration: running tasks are aborted, no new task starts.",
      (a: { orchestrationId: string }) => this.control(a.orchestrationId, "cancel"),
    );
    tool(
      "pause_orchestration",
      "Stops dispatching new tasks of an orchestration; running ones finish.",
      (a: { orchestrationId: string }) => this.control(a.orchestrationId, "pause"),
    );
    tool(
      "resume_orchestration",
      "Lets a paused orchestration dispatch tasks again.",
      (a: { orchestrationId: string }) => this.control(a.orchestrationId, "resume"),
    );
    tool(
      "get_agent_hierarchy",
      "The agent hierarchy now: per level its live agents (type, role, capabilities, load, tasks done), cap, load, capacity and waiting requests.",
      () => hierarchyResponse(this.orchestrator.getAgentHierarchy()),
    );
  }

  /**
   * Orchestrates the task: `task.input` when it is a TaskSpec (has a `description`), else the
   * task's text with `task.input` as the root input. The orchestration's progress is reported.
   */
  async executeTask(task: AgentTask, context: TaskRunContext): Promise<ToolResponse> {
    const input = task.input;
    const spec: string | TaskSpec =
      typeof input === "object" && input !== null && typeof (input as TaskSpec).description === "string"
        ? (input as TaskSpec)
        : input === undefined || input === null
          ? task.description
          : { description: task.description, input };
    const orchestrationId =
      typeof task.metadata?.orchestrationId === "string" ? task.metadata.orchestrationId : randomUUID();
    const events = this.orchestrator.events;
    const onProgress = (event: { orchestrationId: string }) => {
      if (event.orchestrationId !== orchestrationId) return;
      try {
        const status = this.orchestrator.getOrchestrationStatus(orchestrationId);
        context.report(status.progress / 100, `${status.completedTasks}/${status.totalTasks} tasks done`);
      } catch {
        // the orchestration is already forgotten: nothing left to report
      }
    };
    const offs = [events.on("task:completed", onProgress), events.on("task:failed", onProgress)];
    try {
      return await this.callTool(
        "orchestrate_complex_task",
        { task: spec, orchestrationId, wait: true },
        { signal: context.signal },
      );
    } finally {
      for (const off of offs) off();
    }
  }

  private track(id: string): Launched {
    const entry: Launched = { settled: false, result: null, error: null };
    this.launched.set(id, entry);
    this.state.launched.push(id);
    while (this.launched.size > this.remember) {
      const oldest = this.launched.keys().next().value as string;
      this.launched.delete(oldest);
    }
    if (this.state.launched.length > this.remember)
      this.state.launched.splice(0, this.state.launched.length - this.remember);
    return entry;
  }

  private async orchestrate(args: OrchestrateArgs, signal: AbortSignal): Promise<ToolResponse> {
    const id = args.orchestrationId ?? randomUUID();
    const entry = this.track(id);
    let onStarted: () => void = () => {};
    const started = new Promise<"started">((resolve) => {
      onStarted = this.orchestrator.events.on("orchestration:started", (e) => {
        if (e.orchestrationId === id) resolve("started");
      });
    });
    const onEnd = (e: { orchestrationId: string; result: OrchestrationResult }) => {
      if (e.orchestrationId !== id) return;
      entry.settled = true;
      entry.result = e.result;
    };
    const events = this.orchestrator.events;
    const offEnd = [
      events.on("orchestration:completed", onEnd),
      events.on("orchestration:failed", onEnd),
      events.on("orchestration:cancelled", onEnd),
    ];
    const running = this.orchestrator
      .orchestrateComplexTask(args.task, {
        orchestrationId: id,
        ...(args.wait === false ? {} : { signal }),
        ...(args.pattern !== undefined ? { pattern: args.pattern } : {}),
      })
      .finally(() => {
        for (const off of offEnd) off();
      })
      .then(
        (result) => {
          entry.settled = true;
          entry.result = result;
          return resultResponse(result);
        },
        (error: unknown) => {
          entry.settled = true;
          const failure = toolFailure(toEchelonError(error, CoreErrorCode.TASK_FAILED));
          entry.error = failure.error ?? null;
          return failure;
        },
      );
    try {
      if (args.wait !== false) return await running;
      const first = await Promise.race([started, running]);
      if (first !== "started") return first;
      return toolSuccess(
        { orchestrationId: id, state: "running" },
        `Orchestration ${id} started; poll get_orchestration_status.`,
      );
    } finally {
      onStarted();
    }
  }

  private status(id: string): ToolResponse {
    const entry = this.launched.get(id);
    if (entry?.error) return { success: false, data: null, error: entry.error, message: entry.error.message };
    try {
      const status = this.orchestrator.getOrchestrationStatus(id);
      return toolSuccess(
        { ...status, result: entry?.result ?? null },
        `Orchestration ${id} is ${status.state} (${Math.round(status.progress)}%).`,
      );
    } catch (error) {
      return toolFailure(error);
    }
  }

  private control(id: string, action: "cancel" | "pause" | "resume"): ToolResponse {
    try {
      if (!this.orchestrator.hasOrchestration(id)) {
        throw new EchelonError(
          CoreErrorCode.ORCHESTRATION_UNKNOWN,
          `No orchestration "${id}" is known. Use an id returned by orchestrate_complex_task.`,
          {
            details: { orchestrationId: id },
          },
        );
      }
      const done =
        action === "cancel"
          ? this.orchestrator.cancelOrchestration(id)
          : action === "pause"
            ? this.orchestrator.pauseOrchestration(id)
            : this.orchestrator.resumeOrchestration(id);
      const state = this.orchestrator.getOrchestrationStatus(id).state;
      const verb = { cancel: "cancelled", pause: "paused", resume: "resumed" }[action];
      return toolSuccess(
        { orchestrationId: id, [verb]: done, state },
        done ? `Orchestration ${id} ${verb}.` : `Orchestration ${id} was not ${verb}: it is ${state}.`,
      );
    } catch (error) {
      return toolFailure(error);
    }
  }
}
