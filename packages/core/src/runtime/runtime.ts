import type { DistributionStrategy } from "../distribution/strategy.js";
import type { EventBus } from "../events/event-bus.js";
import type { AgentHierarchy } from "../hierarchy/agent-hierarchy.js";
import type { RetryPolicy } from "../model/task.js";
import type { Pattern } from "../patterns/pattern.js";
import type { Registered } from "../plugins/registrations.js";
import type { EventStore } from "../store/event-store.js";
import type { Logger } from "../util/logger.js";
import type { ExpansionSettings } from "./expansion.js";
import type { ResultEnricher } from "./result-enricher.js";

/**
 * Everything the runs of one orchestrator (or of one `PatternExecutor` call) share: the agent
 * hierarchy, the registered plugins with their provenance, the journal and the defaults.
 * Internal.
 */
export interface Runtime {
  readonly hierarchy: AgentHierarchy;
  readonly levels: readonly string[];
  readonly patterns: ReadonlyMap<string, Registered<Pattern>>;
  readonly strategies: ReadonlyMap<string, Registered<DistributionStrategy>>;
  readonly defaultStrategy: Registered<DistributionStrategy>;
  readonly events: EventBus;
  readonly store: EventStore | null;
  readonly logger: Logger;
  readonly defaultTimeoutMs: number | null;
  readonly defaultRetry: RetryPolicy | null;
  readonly abortGraceMs: number;
  readonly coordinatorCapacity: number;
  readonly enrichers: readonly Registered<ResultEnricher>[];
  /** How nodes grow at run time (`expand`); `null` where nothing expands (PatternExecutor). */
  readonly expansion: ExpansionSettings | null;
}
