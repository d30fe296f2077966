import { type AgentType, isAgent } from "../agents/agent.js";
import { singleAgentType } from "../agents/function-agent.js";
import type { EchelonContainer } from "../di/container.js";
import {
  AGENT_TYPE,
  DISTRIBUTION_STRATEGY,
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
import { indexByName, type Registered } from "../plugins/registrations.js";
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
  };
  const ownership = new RunOwnership({
    store: runtime.store,
    owner: options.ownerId ?? defaultOwnerId(),
    leaseTtlMs: options.leaseTtlMs ?? 30_000,
    cancelPollMs: options.cancelPollMs ?? 500,
    logger,
  });
  return { runtime, maxDepth, offeredCapabilities, ownership };
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
