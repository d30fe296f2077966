import { type AgentType, isAgent } from "../agents/agent.js";
import { singleAgentType } from "../agents/function-agent.js";
import type { EchelonContainer } from "../di/container.js";
import {
  AGENT_TYPE,
  DECOMPOSER,
  DISTRIBUTION_STRATEGY,
  EXPANDER,
  EVENT_STORE,
  LOGGER,
  PATTERN,
  RESULT_ENRICHER,
} from "../di/tokens.js";
import { type DistributionStrategy, fallbackLeastLoaded } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EventBus } from "../events/event-bus.js";
import { AgentHierarchy } from "../hierarchy/agent-hierarchy.js";
import { levelNames } from "../model/levels.js";
import type { PluginHost } from "../plugins/plugin-host.js";
import type { Plan, TaskSpec } from "../model/task.js";
import type { PatternChild } from "../patterns/pattern.js";
import { specToPlan } from "../plan/spec.js";
import { validatePlan } from "../plan/validate-plan.js";
import { hookFailed, indexByName, type Registered } from "../plugins/registrations.js";
import type { ExpansionSettings } from "../runtime/expansion.js";
import { recommendPattern } from "./recommend.js";
import { defaultOwnerId, RunOwnership } from "../runtime/run-ownership.js";
import type { Runtime } from "../runtime/runtime.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { silentLogger } from "../util/logger.js";
import { type HierarchicalOrchestratorOptions, resolveCaps } from "./options.js";

/** The parts of an orchestrator made before its runtime: its plugins registered into its container. */
export interface OrchestratorParts {
  /** The plugin host, its plugins registered. */
  readonly host: PluginHost;
  /** The orchestrator's container (the plugins' bindings). */
  readonly container: EchelonContainer;
  /** The orchestrator's bus. */
  readonly events: EventBus;
}

/** The runtime of an orchestrator and what its facade needs from the same wiring. */
export interface RuntimeSetup {
  /** What every run of the orchestrator shares; `runtime.levels` are the level names, primary first. */
  readonly runtime: Runtime;
  /** Deepest node depth allowed (root = 0): the `maxDepth` option, default 2. */
  readonly maxDepth: number;
  /** Every capability some agent type offers, sorted (for planning). */
  readonly offeredCapabilities: readonly string[];
  /** Leases and cross-process cancel requests on the runtime's store. */
  readonly ownership: RunOwnership;
}

/**
 * Builds an orchestrator's runtime from its (checked) options and its plugins' contributions:
 * the logger (the option, else one a plugin bound), the levels, agent types (from the options,
 * then the plugins, each with its provenance), patterns and strategies by name, the default
 * strategy, the agent hierarchy, the journal, the defaults and the run ownership.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` (an `agents` entry that is neither an agent nor
 *   an agent type; two options entries with one name), `ECHELON_PLUGIN_NAME_CONFLICT`,
 *   `ECHELON_STRATEGY_UNKNOWN`
 */
export function setUpRuntime(
  options: HierarchicalOrchestratorOptions,
  parts: OrchestratorParts,
): RuntimeSetup {
  const { host, container, events } = parts;
  const logger = options.logger ?? container.tryGet(LOGGER) ?? silentLogger;
  const maxDepth = options.maxDepth ?? 2;
  const levels = levelNames(maxDepth);
  const agentTypes = collectAgentTypes(options, host);
  const offeredCapabilities = [...new Set(agentTypes.flatMap((t) => t.capabilities))].sort();
  const patterns = indexByName("pattern", host.contributions(PATTERN));
  const strategies = indexByName("distribution strategy", host.contributions(DISTRIBUTION_STRATEGY));
  const coordinatorCapacity = options.coordinatorCapacity ?? 16;
  const runtime: Runtime = {
    hierarchy: new AgentHierarchy({
      levels,
      caps: resolveCaps(levels, options.maxAgentsPerLevel),
      agentTypes,
      coordinatorCapacity,
      events,
      logger,
    }),
    levels,
    patterns,
    strategies,
    defaultStrategy: chooseDefaultStrategy(strategies, options.strategy),
    events,
    store:
      options.eventStore === null
        ? null
        : (options.eventStore ?? container.tryGet(EVENT_STORE) ?? new MemoryEventStore()),
    logger,
    defaultTimeoutMs: options.defaultTimeoutMs ?? null,
    defaultRetry: options.defaultRetry ?? null,
    abortGraceMs: options.abortGraceMs ?? 1000,
    coordinatorCapacity,
    enrichers: host.contributions(RESULT_ENRICHER),
    expansion: null,
  };
  const withExpansion: Runtime = {
    ...runtime,
    expansion: expansionSettings(options, host, container, runtime, offeredCapabilities),
  };
  const ownership = new RunOwnership({
    store: withExpansion.store,
    owner: options.ownerId ?? defaultOwnerId(),
    leaseTtlMs: options.leaseTtlMs ?? 30_000,
    cancelPollMs: options.cancelPollMs ?? 500,
    logger,
  });
  return { runtime: withExpansion, maxDepth, offeredCapabilities, ownership };
}

/** How nodes grow at run time: bounds, expanders, and planning of a subtree with the orchestrator's rules. */
function expansionSettings(
  options: HierarchicalOrchestratorOptions,
  host: PluginHost,
  container: EchelonContainer,
  runtime: Runtime,
  offeredCapabilities: readonly string[],
): ExpansionSettings {
  const patterns = [...runtime.patterns.keys()];
  const decomposer = container.tryGet(DECOMPOSER);
  const decomposerPlugin = decomposer === undefined ? null : host.ownerOf(decomposer);
  return {
    maxChildren: options.expansion?.maxChildren ?? 1_000,
    maxTasks: options.expansion?.maxTasks ?? 100_000,
    expanders: indexByName("expander", host.contributions(EXPANDER)),
    planSubtree: (spec, maxDepth) =>
      specToPlan(spec, {
        maxDepth,
        patterns,
        source: "expansion",
        choosePattern: (node, depth) => {
          const children = (node.children ?? []).map(specChild);
          const agentCount = Math.max(
            1,
            runtime.hierarchy.leafSlots(Math.min(depth + 1, runtime.levels.length - 1)),
          );
          const name = recommendPattern(runtime.patterns.values(), children, agentCount);
          if (name === undefined) {
            throw new EchelonError(
              CoreErrorCode.PATTERN_UNKNOWN,
              "No pattern plugin is installed to coordinate the children an expansion made.",
            );
          }
          return name;
        },
      }),
    decompose:
      decomposer === undefined
        ? null
        : async (spec, maxDepth, signal, orchestrationId) => {
            let plan: Plan;
            try {
              plan = await decomposer.decompose(spec, {
                maxDepth,
                patterns,
                signal,
                capabilities: offeredCapabilities,
                orchestrationId,
              });
            } catch (error) {
              if (error instanceof EchelonError) throw error;
              throw hookFailed(decomposerPlugin, "decompose", error, { decomposer: decomposer.name });
            }
            return validatePlan(plan, { maxDepth, patterns });
          },
  };
}

function specChild(c: TaskSpec, i: number): PatternChild {
  return {
    id: c.id ?? String(i + 1),
    description: c.description,
    input: c.input ?? null,
    dependsOn: c.dependsOn ?? [],
    capabilities: c.capabilities ?? [],
    priority: c.priority ?? 0,
    composite: (c.children?.length ?? 0) > 0 || c.expand !== undefined,
    hasCompensation: c.compensate !== undefined,
    metadata: c.metadata ?? {},
  };
}

function collectAgentTypes(options: HierarchicalOrchestratorOptions, host: PluginHost): AgentType[] {
  const fromOptions: Registered<AgentType>[] = (options.agents ?? []).map((entry, i) => {
    if (isAgent(entry)) return { value: singleAgentType(entry), plugin: null };
    if (entry && typeof (entry as AgentType).spawn === "function")
      return { value: entry as AgentType, plugin: null };
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `agents[${i}] is neither an agent type (functionAgent(...), workerAgent(...)) nor an agent object.`,
      { details: { index: i } },
    );
  });
  const all = [...fromOptions, ...host.contributions(AGENT_TYPE)];
  return [...indexByName("agent type", all).values()].map((r) => r.value);
}

function chooseDefaultStrategy(
  strategies: ReadonlyMap<string, Registered<DistributionStrategy>>,
  name: string | undefined,
): Registered<DistributionStrategy> {
  if (name === undefined) {
    return strategies.values().next().value ?? { value: fallbackLeastLoaded, plugin: null };
  }
  const chosen = strategies.get(name);
  if (chosen === undefined) {
    throw new EchelonError(
      CoreErrorCode.STRATEGY_UNKNOWN,
      `Distribution strategy "${name}" is not registered. Registered: ${[...strategies.keys()].join(", ") || "none (install @echelon/distributor)"}.`,
      { details: { strategy: name } },
    );
  }
  return chosen;
}
