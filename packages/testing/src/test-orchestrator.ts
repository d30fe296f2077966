import {
  type Agent,
  type AgentType,
  type EchelonEvent,
  HierarchicalOrchestrator,
  type HierarchicalOrchestratorOptions,
  type TaskSlice,
  type TaskSpec,
} from "@echelon/core";
import type { EchelonPlugin } from "@echelon/core/plugin";

/** Options of {@link createTestOrchestrator}: the orchestrator's own options. */
export interface TestOrchestratorOptions extends HierarchicalOrchestratorOptions {
  /** Plugins to install (patterns under test). */
  readonly plugins?: readonly EchelonPlugin[];
  /** Agents or agent types. */
  readonly agents?: readonly (Agent | AgentType)[];
}

/** An orchestrator for tests, with every event it emitted recorded. */
export interface TestOrchestrator {
  /** The orchestrator. */
  readonly orchestrator: HierarchicalOrchestrator;
  /** Every event, in emission order. */
  readonly events: readonly EchelonEvent[];
  /** Shuts the orchestrator down (call in `afterEach`). */
  shutdown(): Promise<void>;
}

/**
 * Creates a {@link HierarchicalOrchestrator} with the given plugins and agents, no event store
 * and a recorder of every event — for running a pattern inside a real orchestration in tests.
 *
 * @param options - orchestrator options (plugins, agents, caps, …)
 * @returns the orchestrator, its recorded events and a shutdown function
 * @example
 * ```ts
 * const t = createTestOrchestrator({ plugins: [myPattern()], agents: [recordingAgent()] });
 * const result = await t.orchestrator.orchestrateComplexTask(patternSpec("my-pattern", slices));
 * await t.shutdown();
 * ```
 */
export function createTestOrchestrator(options: TestOrchestratorOptions = {}): TestOrchestrator {
  const orchestrator = new HierarchicalOrchestrator({ eventStore: null, ...options });
  const events: EchelonEvent[] = [];
  const off = orchestrator.events.onAny((e) => events.push(e));
  return {
    orchestrator,
    events,
    async shutdown() {
      off();
      await orchestrator.shutdown();
    },
  };
}

/**
 * A one-level task spec whose root is coordinated by `pattern` over one leaf per slice
 * (`sliceId` → id, `content` → input, `dependencies` → dependsOn, `metadata` kept).
 *
 * @param pattern - the pattern name
 * @param slices - the children
 * @param extra - `patternOptions` and `input` of the root
 * @returns the spec
 */
export function patternSpec(
  pattern: string,
  slices: readonly TaskSlice[],
  extra: { readonly patternOptions?: Readonly<Record<string, unknown>>; readonly input?: unknown } = {},
): TaskSpec {
  return {
    id: "root",
    description: `conformance run of ${pattern}`,
    pattern,
    ...(extra.patternOptions ? { patternOptions: extra.patternOptions } : {}),
    ...(extra.input !== undefined ? { input: extra.input } : {}),
    children: slices.map((s) => ({
      id: s.sliceId,
      description: typeof s.metadata?.description === "string" ? s.metadata.description : s.sliceId,
      input: s.content,
      ...(s.dependencies ? { dependsOn: s.dependencies } : {}),
      ...(s.metadata ? { metadata: s.metadata } : {}),
    })),
  };
}
