import type { AgentType } from "../agents/agent.js";
import type { Decomposer } from "../decomposition/decomposer.js";
import type { Expander } from "../expansion/expander.js";
import type { DistributionStrategy } from "../distribution/strategy.js";
import type { Pattern } from "../patterns/pattern.js";
import type { EventStore } from "../store/event-store.js";
import type { Logger } from "../util/logger.js";
import type { ResultEnricher } from "../runtime/result-enricher.js";
import { createToken } from "./token.js";

/** Coordination patterns (many per token). */
export const PATTERN = createToken<Pattern>("@echelon/core/Pattern", { multi: true });
/** Distribution strategies (many per token). */
export const DISTRIBUTION_STRATEGY = createToken<DistributionStrategy>("@echelon/core/DistributionStrategy", {
  multi: true,
});
/** Agent types the hierarchy can spawn (many per token). */
export const AGENT_TYPE = createToken<AgentType>("@echelon/core/AgentType", { multi: true });
/** Contributors of extra result metadata (token usage, …) (many per token). */
export const RESULT_ENRICHER = createToken<ResultEnricher>("@echelon/core/ResultEnricher", { multi: true });
/** Expanders that make a node's children at run time (many per token). */
export const EXPANDER = createToken<Expander>("@echelon/core/Expander", { multi: true });
/** The decomposer (single slot). */
export const DECOMPOSER = createToken<Decomposer>("@echelon/core/Decomposer");
/** The event journal (single slot); the in-memory store when unbound. */
export const EVENT_STORE = createToken<EventStore>("@echelon/core/EventStore");
/** The logger (single slot); silent when unbound. */
export const LOGGER = createToken<Logger>("@echelon/core/Logger");
