import { type Agent, type AgentContext, type AgentWork, EchelonError } from "@echelon/core";
import { abortableDelay } from "@echelon/core/plugin";
import { TestingErrorCode } from "./errors.js";

/** What a test agent remembers about one `execute` call. */
export interface AgentCall {
  /** Task id of the work. */
  readonly taskId: string;
  /** Node path (with `#invocation` when the pattern gave one). */
  readonly nodePath: string;
  /** Input handed to the agent. */
  readonly input: unknown;
  /** Idempotency key of the call. */
  readonly idempotencyKey: string;
  /** True when the signal was already aborted as the call began (work started after abort). */
  readonly abortedAtStart: boolean;
  /** Monotonic start time (`performance.now()`). */
  readonly startedAt: number;
  /** Where the call is: running, or how it ended. */
  state: "running" | "completed" | "failed";
  /** True when the call's signal aborted before the call ended. */
  sawAbort: boolean;
  /** Monotonic end time, `null` while running. */
  endedAt: number | null;
}

/** An {@link Agent} that records every call; built by the factories below. */
export interface TestAgent extends Agent {
  /** Every call, in start order. */
  readonly calls: readonly AgentCall[];
  /** Calls running now. */
  readonly running: number;
  /** Most calls that ran at once. */
  readonly maxRunning: number;
  /** Forgets recorded calls. */
  reset(): void;
}

/** Options shared by the test agent factories. */
export interface TestAgentOptions {
  /** Agent id. Default `<kind>-<n>`. */
  readonly id?: string;
  /** Tasks at once. Default 1. */
  readonly capacity?: number;
  /** Capabilities offered. Default none. */
  readonly capabilities?: readonly string[];
  /** Called synchronously as each call starts (e.g. to abort a run once work is under way). */
  readonly onStart?: (call: AgentCall) => void;
}

/** The work function of a test agent. */
export type TestWork = (work: AgentWork, context: AgentContext) => unknown;

let counter = 0;

function makeAgent(kind: string, options: TestAgentOptions, body: TestWork): TestAgent {
  const calls: AgentCall[] = [];
  let running = 0;
  let maxRunning = 0;
  const id = options.id ?? `${kind}-${++counter}`;
  return {
    id,
    type: `test:${kind}:${id}`,
    capabilities: options.capabilities ?? [],
    capacity: options.capacity ?? 1,
    get calls() {
      return calls;
    },
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
    reset() {
      calls.length = 0;
      maxRunning = running;
    },
    async execute(work, context) {
      const call: AgentCall = {
        taskId: work.taskId,
        nodePath: work.nodePath,
        input: work.input,
        idempotencyKey: context.idempotencyKey,
        abortedAtStart: context.signal.aborted,
        startedAt: performance.now(),
        state: "running",
        sawAbort: context.signal.aborted,
        endedAt: null,
      };
      const onAbort = () => {
        if (call.endedAt === null) call.sawAbort = true;
      };
      context.signal.addEventListener("abort", onAbort, { once: true });
      calls.push(call);
      running++;
      maxRunning = Math.max(maxRunning, running);
      options.onStart?.(call);
      try {
        const output = await body(work, context);
        call.state = "completed";
        return output;
      } catch (error) {
        call.state = "failed";
        throw error;
      } finally {
        call.endedAt = performance.now();
        running--;
        context.signal.removeEventListener("abort", onAbort);
      }
    },
  };
}

/**
 * An agent that runs `fn` (default: returns `work.input` unchanged) and records every call.
 *
 * @param fn - the real work
 * @param options - id, capacity, capabilities, onStart
 * @returns the agent
 * @example
 * ```ts
 * const doubler = recordingAgent((w) => Number(w.input) * 2);
 * ```
 */
export function recordingAgent(
  fn: TestWork = (work) => work.input,
  options: TestAgentOptions = {},
): TestAgent {
  return makeAgent("recording", options, fn);
}

/** Options of {@link failingAgent}. */
export interface FailingAgentOptions extends TestAgentOptions {
  /** Which work fails; the rest echoes its input. Default every call. */
  readonly failWhen?: (work: AgentWork) => boolean;
  /** What to throw. Default an EchelonError `ECHELON_TESTING_INJECTED_FAILURE`. */
  readonly error?: (work: AgentWork) => unknown;
}

/**
 * An agent that throws (for all work, or the work `failWhen` selects) and records every call.
 *
 * @param options - which work fails, what it throws, id, capacity
 * @returns the agent
 */
export function failingAgent(options: FailingAgentOptions = {}): TestAgent {
  const failWhen = options.failWhen ?? (() => true);
  const error =
    options.error ??
    ((work: AgentWork) =>
      new EchelonError(TestingErrorCode.INJECTED_FAILURE, `Injected failure for task "${work.taskId}".`, {
        details: { taskId: work.taskId },
      }));
  return makeAgent("failing", options, (work) => {
    if (failWhen(work)) throw error(work);
    return work.input;
  });
}

/** Options of {@link slowAgent}. */
export interface SlowAgentOptions extends TestAgentOptions {
  /** Computes the output once the wait is over. Default `work.input`. */
  readonly fn?: TestWork;
}

/**
 * An agent that waits `ms` on a real timer before answering, honouring its abort signal (it
 * rejects with `ECHELON_CANCELLED` as soon as the signal aborts). For tests whose subject is
 * time: cancellation, deadlines, hedging.
 *
 * @param ms - how long each call takes, or a function of the work
 * @param options - output function, id, capacity
 * @returns the agent
 */
export function slowAgent(
  ms: number | ((work: AgentWork) => number),
  options: SlowAgentOptions = {},
): TestAgent {
  const fn = options.fn ?? ((work: AgentWork) => work.input);
  return makeAgent("slow", options, async (work, context) => {
    await abortableDelay(typeof ms === "number" ? ms : ms(work), context.signal);
    return fn(work, context);
  });
}

/**
 * An agent whose calls never settle and that ignores its abort signal: the worst case a
 * pattern must survive (the pattern has to stop waiting for it on abort).
 *
 * @param options - id, capacity
 * @returns the agent
 */
export function hangingAgent(options: TestAgentOptions = {}): TestAgent {
  return makeAgent("hanging", options, () => new Promise<never>(() => {}));
}
