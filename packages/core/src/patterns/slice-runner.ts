import { isAgent, type Agent, type AgentContext, type AgentWork } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { EventBus } from "../events/event-bus.js";
import type { TaskSlice } from "../model/task.js";
import { abortError, linkedController, raceAbort } from "../util/abort.js";
import { assertJsonSerializable } from "../util/json.js";
import { silentLogger, type Logger } from "../util/logger.js";
import type { ChildOutcome, Pattern, PatternChild, PatternContext } from "./pattern.js";
import type { PatternResult } from "./pattern-result.js";

/** A plain async function used as an agent under `PatternExecutor`. */
export type SliceFunction = (slice: AgentWork, context: AgentContext) => unknown;

/** Options of {@link runPatternOnSlices}. */
export interface SliceRunOptions {
  /** Pattern options (reducer, gather strategy, …). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Cancels the run. */
  readonly signal?: AbortSignal;
  /** Run id (also the orchestration id of its events). Default a random UUID. */
  readonly runId?: string;
  /** Input of the (virtual) composite node. */
  readonly input?: unknown;
  /** Where the run's events go. */
  readonly events?: EventBus;
  /** Logger. */
  readonly logger?: Logger;
  /**
   * Keep each slice's output in `PatternResult.outcomes` (default true). Turn off for huge
   * fan-outs whose pattern reduces as it goes (map-reduce), so the runner holds no output per slice.
   */
  readonly keepOutputs?: boolean;
}

interface Slot {
  readonly agent: Agent;
  inFlight: number;
}

/** Turns a slice into the child a pattern sees. */
export function sliceToChild(slice: TaskSlice): PatternChild {
  const metadata = slice.metadata ?? {};
  const description = typeof metadata.description === "string" ? metadata.description : slice.sliceId;
  const capabilities = Array.isArray(metadata.capabilities) ? (metadata.capabilities as string[]) : [];
  const priority = typeof metadata.priority === "number" ? metadata.priority : 0;
  return {
    id: slice.sliceId,
    description,
    input: slice.content,
    dependsOn: slice.dependencies ?? [],
    capabilities,
    priority,
    composite: false,
    hasCompensation: metadata.compensate !== undefined,
    metadata,
  };
}

/** Wraps functions as agents; leaves agents as they are. */
export function toSliceAgents(agents: readonly (Agent | SliceFunction)[]): Agent[] {
  return agents.map((a, i) => {
    if (isAgent(a)) return a;
    if (typeof a === "function") {
      return {
        id: a.name ? `${a.name}#${i + 1}` : `fn#${i + 1}`,
        type: "function",
        capabilities: [],
        capacity: 1,
        execute: async (work, ctx) => a(work, ctx),
      } satisfies Agent;
    }
    throw new EchelonError(
      CoreErrorCode.INVALID_CONFIG,
      `agents[${i}] is neither an Agent nor a function. Pass Agent objects, async functions or registered agent ids.`,
      { details: { index: i } },
    );
  });
}

/**
 * Runs a pattern directly on slices over a fixed set of agents — the engine behind
 * `PatternExecutor`. Each child run goes to the least-loaded agent that offers the
 * child's capabilities and has a free slot, waiting (FIFO) when all are busy.
 *
 * @param pattern - the pattern
 * @param slices - the work
 * @param agents - agents that run it (at least one)
 * @param runOptions - options, signal, events
 * @returns the pattern result; never throws for a failing pattern (see `status`)
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when no agent is given
 */
export async function runPatternOnSlices(
  pattern: Pattern,
  slices: readonly TaskSlice[],
  agents: readonly Agent[],
  runOptions: SliceRunOptions = {},
): Promise<PatternResult> {
  if (agents.length === 0) {
    throw new EchelonError(CoreErrorCode.INVALID_CONFIG, "runPatternOnSlices: pass at least one agent.");
  }
  const runId = runOptions.runId ?? crypto.randomUUID();
  const logger = runOptions.logger ?? silentLogger;
  const bus = runOptions.events;
  const startedAt = Date.now();
  const t0 = performance.now();
  const slots: Slot[] = agents.map((agent) => ({ agent, inFlight: 0 }));
  const waiting: Array<{ child: PatternChild; wake: () => void }> = [];
  const outcomes = new Map<string, ChildOutcome>();
  const children = slices.map(sliceToChild);
  const slicesById = new Map(slices.map((s) => [s.sliceId, s]));
  const root = linkedController(runOptions.signal);

  const offers = (slot: Slot, child: PatternChild) =>
    child.capabilities.every((c) => slot.agent.capabilities.includes(c));

  const pick = (child: PatternChild): Slot | null => {
    let best: Slot | null = null;
    for (const slot of slots) {
      if (slot.inFlight >= slot.agent.capacity || !offers(slot, child)) continue;
      if (best === null || slot.inFlight / slot.agent.capacity < best.inFlight / best.agent.capacity)
        best = slot;
    }
    return best;
  };

  const acquire = async (child: PatternChild, signal: AbortSignal): Promise<Slot> => {
    if (!slots.some((s) => offers(s, child))) {
      throw new EchelonError(
        CoreErrorCode.NO_AGENT_FOR_CAPABILITY,
        `No agent offers the capabilities [${child.capabilities.join(", ")}] of slice "${child.id}". Add an agent that offers them.`,
        { details: { capabilities: child.capabilities, slices: [child.id] } },
      );
    }
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const slot = pick(child);
      if (slot) {
        slot.inFlight++;
        return slot;
      }
      await new Promise<void>((resolve) => {
        const entry = { child, wake: resolve };
        waiting.push(entry);
        signal.addEventListener(
          "abort",
          () => {
            const i = waiting.indexOf(entry);
            if (i >= 0) waiting.splice(i, 1);
            resolve();
          },
          { once: true },
        );
      });
    }
  };

  const release = (slot: Slot) => {
    slot.inFlight--;
    const next = waiting.shift();
    next?.wake();
  };

  const emit = (
    type: "task:started" | "task:completed" | "task:failed" | "task:cancelled",
    path: string,
    payload: object,
  ) => {
    bus?.emit(type, { orchestrationId: runId, nodePath: path, ts: performance.now() }, payload as never);
  };

  const execute = async (child: PatternChild, input: unknown, signal: AbortSignal, path: string) => {
    const slot = await acquire(child, signal);
    const started = performance.now();
    emit("task:started", path, {
      taskId: child.id,
      kind: "leaf",
      agentId: slot.agent.id,
      agentType: slot.agent.type,
      level: "executor",
      attempt: 1,
      pattern: null,
    });
    try {
      const work: AgentWork = {
        taskId: child.id,
        nodePath: path,
        description: child.description,
        input,
        capabilities: child.capabilities,
        priority: child.priority,
        metadata: child.metadata,
      };
      const ctx: AgentContext = {
        signal,
        attempt: 1,
        idempotencyKey: `${runId}/${path}`,
        orchestrationId: runId,
        level: "executor",
        report: () => {},
        logger,
      };
      const output = await raceAbort(
        Promise.resolve().then(() => {
          // The signal may have aborted since the slot was acquired: start no work then.
          if (signal.aborted) throw abortError(signal);
          return slot.agent.execute(work, ctx);
        }),
        signal,
      );
      assertJsonSerializable(output, `output of slice "${child.id}"`);
      const durationMs = performance.now() - started;
      emit("task:completed", path, {
        taskId: child.id,
        kind: "leaf",
        agentId: slot.agent.id,
        output,
        durationMs,
        attempts: 1,
      });
      return { output, durationMs };
    } catch (error) {
      const failure = signal.aborted
        ? abortError(signal)
        : toEchelonError(
            error,
            CoreErrorCode.TASK_FAILED,
            `Slice "${child.id}" failed: ${error instanceof Error ? error.message : String(error)}`,
          );
      if (signal.aborted) {
        emit("task:cancelled", path, { taskId: child.id, kind: "leaf", reason: failure.message });
      } else {
        emit("task:failed", path, {
          taskId: child.id,
          kind: "leaf",
          agentId: slot.agent.id,
          error: failure.toJSON(),
          attempts: 1,
        });
      }
      throw Object.assign(failure, { durationMs: performance.now() - started });
    } finally {
      release(slot);
    }
  };

  const context: PatternContext = {
    orchestrationId: runId,
    nodePath: pattern.name,
    input: runOptions.input,
    options: runOptions.options ?? {},
    signal: root.signal,
    concurrency: slots.reduce((n, s) => n + s.agent.capacity, 0),
    logger,
    emit: (type, payload) =>
      bus?.emit(type, { orchestrationId: runId, nodePath: pattern.name, ts: performance.now() }, payload),
    markCompensated(child, output) {
      outcomes.set(child.id, { id: child.id, status: "compensated", output });
      bus?.emit(
        "task:compensated",
        { orchestrationId: runId, nodePath: child.id, ts: performance.now() },
        { taskId: child.id, output: output ?? null },
      );
    },
    skipChild(child, reason) {
      if (!outcomes.has(child.id)) outcomes.set(child.id, { id: child.id, status: "skipped" });
      bus?.emit(
        "task:skipped",
        { orchestrationId: runId, nodePath: child.id, ts: performance.now() },
        { taskId: child.id, reason },
      );
    },
    async runChild(child, options = {}) {
      const link = linkedController(options.signal ?? root.signal);
      const unlinkRoot = options.signal ? linkedSignalFollow(link.controller, root.signal) : () => {};
      const path = options.invocation ? `${child.id}#${options.invocation}` : child.id;
      try {
        const { output, durationMs } = await execute(
          child,
          "input" in options ? options.input : child.input,
          link.signal,
          path,
        );
        outcomes.set(
          child.id,
          runOptions.keepOutputs === false
            ? { id: child.id, status: "completed", durationMs }
            : { id: child.id, status: "completed", output, durationMs },
        );
        return output;
      } catch (error) {
        const failure = toEchelonError(error, CoreErrorCode.TASK_FAILED);
        outcomes.set(child.id, {
          id: child.id,
          status: failure.code === CoreErrorCode.CANCELLED ? "cancelled" : "failed",
          error: failure.toJSON(),
          durationMs: (error as { durationMs?: number }).durationMs ?? 0,
        });
        throw failure;
      } finally {
        unlinkRoot();
        link.dispose();
      }
    },
    async compensateChild(child, output) {
      const declared = slicesById.get(child.id)?.metadata?.compensate;
      if (declared === undefined) {
        throw new EchelonError(
          CoreErrorCode.PATTERN_FAILED,
          `Slice "${child.id}" declares no compensation (metadata.compensate).`,
          { details: { slice: child.id } },
        );
      }
      const never = new AbortController().signal;
      const compensation: PatternChild = {
        ...child,
        id: `${child.id}:compensate`,
        input: { output, input: declared },
      };
      const { output: result } = await execute(
        compensation,
        compensation.input,
        never,
        `${child.id}:compensate`,
      );
      outcomes.set(child.id, { id: child.id, status: "compensated", output: result });
      return result;
    },
  };

  const patternBase = () => ({ orchestrationId: runId, nodePath: pattern.name, ts: performance.now() });
  bus?.emit("pattern:started", patternBase(), { pattern: pattern.name, children: children.length });
  try {
    const outcome = await pattern.execute(children, context);
    assertJsonSerializable(outcome.result, `result of pattern "${pattern.name}"`);
    assertJsonSerializable(outcome.details, `details of pattern "${pattern.name}"`);
    const status = outcome.status ?? "completed";
    bus?.emit("pattern:completed", patternBase(), {
      pattern: pattern.name,
      durationMs: performance.now() - t0,
      status,
    });
    return {
      pattern: pattern.name,
      runId,
      success: true,
      status,
      result: outcome.result,
      outcomes: collect(children, outcomes),
      executionTimeMs: performance.now() - t0,
      startedAt,
      error: null,
      details: outcome.details ?? {},
    };
  } catch (error) {
    const failure = toEchelonError(error, CoreErrorCode.PATTERN_FAILED);
    bus?.emit("pattern:failed", patternBase(), {
      pattern: pattern.name,
      durationMs: performance.now() - t0,
      error: failure.toJSON(),
    });
    return {
      pattern: pattern.name,
      runId,
      success: false,
      status: root.signal.aborted ? "cancelled" : "failed",
      result: null,
      outcomes: collect(children, outcomes),
      executionTimeMs: performance.now() - t0,
      startedAt,
      error: failure.toJSON(),
      details: failure.details,
    };
  } finally {
    root.dispose();
  }
}

function linkedSignalFollow(controller: AbortController, signal: AbortSignal): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

function collect(children: readonly PatternChild[], outcomes: Map<string, ChildOutcome>): ChildOutcome[] {
  return children.map((c) => outcomes.get(c.id) ?? { id: c.id, status: "skipped" });
}
