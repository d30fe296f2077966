import {
  type AgentWork,
  type EchelonEvent,
  EventBus,
  type PatternResult,
  type TaskSlice,
} from "@echelon/core";
import { type EchelonPlugin, type Pattern, runPatternOnSlices } from "@echelon/core/plugin";
import { expect } from "vitest";
import { failingAgent, hangingAgent, recordingAgent, slowAgent, type TestAgent } from "./test-agents.js";

/** Options of {@link describePatternConformance}. */
export interface PatternConformanceOptions {
  /** Name of the pattern to test when the plugin registers several. */
  readonly pattern?: string;
  /** Slices to run. Default four slices with contents 1…4. */
  readonly slices?: readonly TaskSlice[];
  /** Pattern options for the happy path and the abort checks. */
  readonly patternOptions?: Readonly<Record<string, unknown>>;
  /** Pattern options for the failure checks (default `patternOptions`): choose ones under which failing agents fail the run. */
  readonly failureOptions?: Readonly<Record<string, unknown>>;
  /** Input of the virtual composite node. */
  readonly input?: unknown;
  /** Number of agents. Default 3. */
  readonly agents?: number;
  /** Work of the happy-path agents. Default: echo the input. */
  readonly work?: (work: AgentWork) => unknown;
  /**
   * Also run the orchestration checks (the pattern on a plan node's children inside a real
   * `HierarchicalOrchestrator`). Default true; turning them off is visible in the suite title.
   */
  readonly orchestration?: boolean;
}

/** What every check gets: the plugin, its pattern and the suite's options. */
export interface ConformanceSubject {
  /** The plugin under test, as handed to the suite. */
  readonly plugin: EchelonPlugin;
  /** The pattern it registers (the one named by `options.pattern` when it registers several). */
  readonly pattern: Pattern;
  /** The suite's options (slices, pattern options, agent count, …). */
  readonly options: PatternConformanceOptions;
}

/** One contract a pattern must meet. */
export interface ConformanceCheck {
  /** What the check asserts, used as the test title. */
  readonly name: string;
  /** Runs the check; rejects (with an assertion error) when the pattern breaks the contract. */
  run(subject: ConformanceSubject): Promise<void>;
}

const CODE = /^ECHELON_[A-Z0-9_]+$/;
const NEVER = 10 * 60_000;

function defaultSlices(options: PatternConformanceOptions): readonly TaskSlice[] {
  return options.slices ?? [1, 2, 3, 4].map((n) => ({ sliceId: `s${n}`, content: n }));
}

function agentsOf(count: number, make: (i: number) => TestAgent): TestAgent[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

function calls(agents: readonly TestAgent[]) {
  return agents.flatMap((a) => a.calls);
}

async function run(
  subject: ConformanceSubject,
  agents: readonly TestAgent[],
  extra: { options?: Readonly<Record<string, unknown>>; signal?: AbortSignal; events?: EventBus } = {},
): Promise<PatternResult> {
  return runPatternOnSlices(subject.pattern, defaultSlices(subject.options), agents, {
    options: extra.options ?? subject.options.patternOptions ?? {},
    input: subject.options.input,
    ...(extra.signal ? { signal: extra.signal } : {}),
    ...(extra.events ? { events: extra.events } : {}),
  });
}

function expectJsonRoundTrip(value: unknown): void {
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
}

/** Waits `ms` on a real timer: time is the subject (lets anything the run left behind show itself). */
async function settle(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs with agents from `make`, aborting as soon as the first agent call starts. */
async function runAbortedMidway(
  subject: ConformanceSubject,
  make: (i: number, onStart: () => void) => TestAgent,
): Promise<{ result: PatternResult; agents: TestAgent[]; abortedAt: number }> {
  const controller = new AbortController();
  let abortedAt = Number.POSITIVE_INFINITY;
  const onStart = () => {
    if (controller.signal.aborted) return;
    // Abort from a microtask so the agent's own start completes first, as in real life.
    queueMicrotask(() => {
      abortedAt = performance.now();
      controller.abort();
    });
  };
  const agents = agentsOf(subject.options.agents ?? 3, (i) => make(i, onStart));
  const result = await run(subject, agents, { signal: controller.signal });
  return { result, agents, abortedAt };
}

/** The contracts of `describePatternConformance`, in order; exported so suites can be checked themselves. */
export const PATTERN_CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    name: "plugin is well-formed and registers the pattern",
    async run({ plugin, pattern }) {
      expect(plugin.name).toMatch(/\S/);
      expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(pattern.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(["sequential", "parallel", "dag"]).toContain(pattern.ordering);
      expect(typeof pattern.execute).toBe("function");
    },
  },
  {
    name: "happy path returns a well-formed, JSON-serialisable result",
    async run(subject) {
      const slices = defaultSlices(subject.options);
      const agents = agentsOf(subject.options.agents ?? 3, () => recordingAgent(subject.options.work));
      const result = await run(subject, agents);
      expect(result.error).toBeNull();
      expect(result.success).toBe(true);
      expect(["completed", "partial"]).toContain(result.status);
      expect(result.pattern).toBe(subject.pattern.name);
      expect(result.outcomes.map((o) => o.id)).toEqual(slices.map((s) => s.sliceId));
      expect(result.executionTimeMs).toBeGreaterThanOrEqual(0);
      expectJsonRoundTrip(result);
      const all = calls(agents);
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((c) => c.state === "completed")).toBe(true);
    },
  },
  {
    name: "emits task and pattern events for its run",
    async run(subject) {
      const events: EchelonEvent[] = [];
      const bus = new EventBus();
      bus.onAny((e) => events.push(e));
      const agents = agentsOf(subject.options.agents ?? 3, () => recordingAgent(subject.options.work));
      const result = await run(subject, agents, { events: bus });
      expect(result.success).toBe(true);
      const types = events.map((e) => e.type);
      // The pattern runs as the root of a (virtual) plan on core's one runtime.
      expect(types[0]).toBe("orchestration:started");
      expect(types.at(-1)).toBe("orchestration:completed");
      expect(types.indexOf("pattern:started")).toBeGreaterThan(0);
      expect(types.lastIndexOf("pattern:completed")).toBeGreaterThan(types.indexOf("pattern:started"));
      const agentWork = (type: string) =>
        events.filter((e) => e.type === type && "kind" in e && e.kind !== "composite");
      expect(agentWork("task:started")).toHaveLength(calls(agents).length);
      expect(agentWork("task:completed")).toHaveLength(calls(agents).length);
      for (const event of events) {
        // agent:spawned / agent:retired are the agent pool's own (orchestrator-wide, id "").
        expect(event.orchestrationId).toBe(event.type.startsWith("agent:") ? "" : result.runId);
        expect(typeof event.ts).toBe("number");
        expectJsonRoundTrip(event);
      }
    },
  },
  {
    name: "fails with a coded, serialisable error when agents fail",
    async run(subject) {
      const agents = agentsOf(subject.options.agents ?? 3, () => failingAgent());
      const options = subject.options.failureOptions ?? subject.options.patternOptions ?? {};
      const result = await run(subject, agents, { options });
      expect(result.success).toBe(false);
      expect(result.status).toBe("failed");
      expect(result.result).toBeNull();
      expect(result.error?.code).toMatch(CODE);
      expectJsonRoundTrip(result);
      expect(calls(agents).every((c) => c.state !== "running")).toBe(true);
    },
  },
  {
    name: "reports a non-serialisable agent output as ECHELON_RESULT_NOT_SERIALIZABLE",
    async run(subject) {
      const agents = agentsOf(subject.options.agents ?? 3, () => recordingAgent(() => ({ bad: 10n })));
      const options = subject.options.failureOptions ?? subject.options.patternOptions ?? {};
      const result = await run(subject, agents, { options });
      expect(result.success).toBe(false);
      const codes = [result.error?.code, result.error?.cause?.code];
      expect(codes).toContain("ECHELON_RESULT_NOT_SERIALIZABLE");
      expectJsonRoundTrip(result);
    },
  },
  {
    name: "abort reaches every running agent and the run ends cancelled",
    async run(subject) {
      const { result, agents } = await runAbortedMidway(subject, (_, onStart) =>
        slowAgent(NEVER, { onStart }),
      );
      expect(result.success).toBe(false);
      expect(result.status).toBe("cancelled");
      expect(result.error?.code).toBe("ECHELON_CANCELLED");
      const all = calls(agents);
      expect(all.length).toBeGreaterThan(0);
      for (const call of all) expect(call.state === "completed" || call.sawAbort).toBe(true);
      await settle();
      expect(calls(agents).every((c) => c.state !== "running")).toBe(true);
      expectJsonRoundTrip(result);
    },
  },
  {
    name: "no agent work starts after abort",
    async run(subject) {
      const { result, agents, abortedAt } = await runAbortedMidway(subject, (_, onStart) =>
        slowAgent(NEVER, { onStart }),
      );
      expect(result.status).toBe("cancelled");
      const before = calls(agents).length;
      await settle();
      const all = calls(agents);
      expect(all).toHaveLength(before);
      for (const call of all) {
        expect(call.abortedAtStart).toBe(false);
        expect(call.startedAt).toBeLessThanOrEqual(abortedAt);
      }
    },
  },
  {
    name: "an aborted run returns even when agents ignore abort",
    async run(subject) {
      const { result } = await runAbortedMidway(subject, (_, onStart) => hangingAgent({ onStart }));
      expect(result.status).toBe("cancelled");
      expect(result.error?.code).toBe("ECHELON_CANCELLED");
    },
  },
  {
    name: "a signal aborted before the run starts no agent work",
    async run(subject) {
      const agents = agentsOf(subject.options.agents ?? 3, () => recordingAgent(subject.options.work));
      const controller = new AbortController();
      controller.abort();
      const result = await run(subject, agents, { signal: controller.signal });
      expect(result.success).toBe(false);
      expect(result.status).toBe("cancelled");
      expect(result.error?.code).toBe("ECHELON_CANCELLED");
      expect(calls(agents)).toHaveLength(0);
    },
  },
];
