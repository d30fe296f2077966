import type { AgentType } from "../agents/agent.js";
import type { BindOptions, EchelonContainer } from "../di/container.js";
import type { Token } from "../di/token.js";
import type { DistributionStrategy } from "../distribution/strategy.js";
import type { Expander } from "../expansion/expander.js";
import type { EventBus } from "../events/event-bus.js";
import type { Pattern } from "../patterns/pattern.js";
import type { Logger } from "../util/logger.js";

/** What a plugin's `register` hook gets: binding helpers over the orchestrator's own container. */
export interface PluginContext {
  /** The orchestrator's isolated container. */
  readonly container: EchelonContainer;
  /** The orchestrator's event bus (subscribe in `start`, not in `register`, if you do I/O). */
  readonly events: EventBus;
  /** Logger. */
  readonly logger: Logger;
  /** Adds a pattern under `PATTERN`. */
  registerPattern(pattern: Pattern): void;
  /** Adds a distribution strategy under `DISTRIBUTION_STRATEGY`. */
  registerStrategy(strategy: DistributionStrategy): void;
  /** Adds an agent type under `AGENT_TYPE`. */
  registerAgentType(agentType: AgentType): void;
  /** Adds an expander (run-time fan-out) under `EXPANDER`. */
  registerExpander(expander: Expander): void;
  /** Binds a single-slot token; refuses a second binding without `{ override: true }`. */
  bind<T>(token: Token<T>, value: T, options?: BindOptions): void;
  /** Adds to a many-per-token token. */
  add<T>(token: Token<T>, value: T): void;
}

/**
 * A plugin: a plain object made by a factory (`sagaPattern(options)`). `register` only binds
 * tokens and must be synchronous; I/O belongs in `start`; `stop` runs in reverse order on
 * `shutdown()`.
 */
export interface EchelonPlugin {
  /** Unique name; by convention the npm package name. */
  readonly name: string;
  /** The plugin's version. */
  readonly version: string;
  /** Names of plugins that must be installed (and registered) before this one. */
  readonly dependsOn?: readonly string[];
  /** Binds tokens. */
  register(context: PluginContext): void;
  /** Starts I/O (servers, connections); awaited before the first orchestration. */
  start?(context: PluginContext): Promise<void> | void;
  /** Stops what `start` started. */
  stop?(): Promise<void> | void;
}

/**
 * Typed identity helper for plugin objects.
 *
 * @param plugin - the plugin
 * @returns the same plugin
 * @example
 * ```ts
 * export const myPattern = (): EchelonPlugin =>
 *   definePlugin({ name: "echelon-pattern-hedge", version: "1.0.0", register: (ctx) => ctx.registerPattern(hedge) });
 * ```
 */
export function definePlugin(plugin: EchelonPlugin): EchelonPlugin {
  return plugin;
}
