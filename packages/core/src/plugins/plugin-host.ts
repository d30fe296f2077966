import type { AgentType } from "../agents/agent.js";
import type { EchelonContainer } from "../di/container.js";
import type { Token } from "../di/token.js";
import {
  AGENT_TYPE,
  DECOMPOSER,
  DISTRIBUTION_STRATEGY,
  EXPANDER,
  PATTERN,
  RESULT_ENRICHER,
} from "../di/tokens.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EventBus } from "../events/event-bus.js";
import type { Logger } from "../util/logger.js";
import type { EchelonPlugin, PluginContext } from "./plugin.js";

type Hook = "register" | "start" | "stop";

function hookFailed(plugin: EchelonPlugin, hook: Hook, cause: unknown): EchelonError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new EchelonError(
    CoreErrorCode.PLUGIN_HOOK_FAILED,
    `Plugin "${plugin.name}" failed in ${hook}(): ${message}`,
    { cause, details: { plugin: plugin.name, hook } },
  );
}

/**
 * Orders plugins so each comes after the plugins it depends on (stable otherwise).
 *
 * @throws EchelonError `ECHELON_PLUGIN_DUPLICATE`, `ECHELON_PLUGIN_DEPENDENCY_MISSING`, `ECHELON_PLUGIN_DEPENDENCY_CYCLE`
 */
export function orderPlugins(plugins: readonly EchelonPlugin[]): EchelonPlugin[] {
  const byName = new Map<string, EchelonPlugin>();
  for (const plugin of plugins) {
    if (byName.has(plugin.name)) {
      throw new EchelonError(
        CoreErrorCode.PLUGIN_DUPLICATE,
        `Plugin "${plugin.name}" is listed twice. Remove one of them.`,
        { details: { plugin: plugin.name } },
      );
    }
    byName.set(plugin.name, plugin);
  }
  for (const plugin of plugins) {
    for (const dep of plugin.dependsOn ?? []) {
      if (!byName.has(dep)) {
        throw new EchelonError(
          CoreErrorCode.PLUGIN_DEPENDENCY_MISSING,
          `Plugin "${plugin.name}" depends on "${dep}", which is not installed. Add ${dep} to the plugins option.`,
          { details: { plugin: plugin.name, missing: dep } },
        );
      }
    }
  }
  const ordered: EchelonPlugin[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (plugin: EchelonPlugin, trail: string[]): void => {
    const seen = state.get(plugin.name);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(plugin.name)), plugin.name];
      throw new EchelonError(
        CoreErrorCode.PLUGIN_DEPENDENCY_CYCLE,
        `Plugins depend on each other in a cycle: ${cycle.join(" → ")}. Break the cycle.`,
        { details: { cycle } },
      );
    }
    state.set(plugin.name, "visiting");
    for (const dep of plugin.dependsOn ?? []) visit(byName.get(dep)!, [...trail, plugin.name]);
    state.set(plugin.name, "done");
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin, []);
  return ordered;
}

/** A registration under a many-per-token token, with the plugin that made it. */
export interface Contribution<T> {
  readonly value: T;
  /** Name of the plugin that registered it, or `null` for values passed in options. */
  readonly plugin: string | null;
}

const TRACKED = [PATTERN, DISTRIBUTION_STRATEGY, AGENT_TYPE, RESULT_ENRICHER, EXPANDER] as const;

/** Registers, starts and stops an orchestrator's plugins, remembering which plugin registered what. */
export class PluginHost {
  private readonly plugins: EchelonPlugin[];
  private readonly context: PluginContext;
  private started: Promise<void> | null = null;
  private stopped = false;
  private readonly owners = new Map<unknown, string>();

  /**
   * Orders the plugins and runs every `register` hook at once.
   *
   * @throws EchelonError on a dependency problem or a failing `register`
   */
  constructor(
    plugins: readonly EchelonPlugin[],
    container: EchelonContainer,
    events: EventBus,
    logger: Logger,
  ) {
    this.plugins = orderPlugins(plugins);
    this.context = {
      container,
      events,
      logger,
      registerPattern: (pattern) => container.add(PATTERN, pattern),
      registerStrategy: (strategy) => container.add(DISTRIBUTION_STRATEGY, strategy),
      registerAgentType: (agentType: AgentType) => container.add(AGENT_TYPE, agentType),
      registerExpander: (expander) => container.add(EXPANDER, expander),
      bind: (token, value, options) => container.bind(token, value, options),
      add: (token, value) => container.add(token, value),
    };
    for (const plugin of this.plugins) {
      const before = TRACKED.map((token) => container.getAll<unknown>(token).length);
      const decomposer = container.tryGet(DECOMPOSER);
      try {
        plugin.register(this.context);
        TRACKED.forEach((token, i) => {
          for (const value of container.getAll<unknown>(token).slice(before[i])) {
            if (typeof value === "object" && value !== null) this.owners.set(value, plugin.name);
          }
        });
        const bound = container.tryGet(DECOMPOSER);
        if (bound !== undefined && bound !== decomposer) this.owners.set(bound, plugin.name);
      } catch (error) {
        if (error instanceof EchelonError && error.code === CoreErrorCode.DI_DUPLICATE_BINDING) {
          throw new EchelonError(error.code, `Plugin "${plugin.name}": ${error.message}`, {
            cause: error,
            details: { ...error.details, plugin: plugin.name },
          });
        }
        throw hookFailed(plugin, "register", error);
      }
    }
  }

  /** Name of the plugin that registered `value` (a pattern, strategy, agent type, enricher or decomposer), or `null`. */
  ownerOf(value: unknown): string | null {
    return this.owners.get(value) ?? null;
  }

  /** Every registration under a many-per-token token, with the plugin that made it. */
  contributions<T>(token: Token<T>): Contribution<T>[] {
    return this.context.container.getAll(token).map((value) => ({ value, plugin: this.ownerOf(value) }));
  }

  /** Names of the installed plugins, in boot order. */
  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  /** Runs every `start` hook once, in order; later calls await the same start. */
  start(): Promise<void> {
    this.started ??= (async () => {
      for (const plugin of this.plugins) {
        if (!plugin.start) continue;
        try {
          await plugin.start(this.context);
        } catch (error) {
          throw hookFailed(plugin, "start", error);
        }
      }
    })();
    return this.started;
  }

  /** Runs every `stop` hook in reverse order; collects failures and throws the first after all ran. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    let first: EchelonError | null = null;
    for (const plugin of [...this.plugins].reverse()) {
      if (!plugin.stop) continue;
      try {
        await plugin.stop();
      } catch (error) {
        first ??= hookFailed(plugin, "stop", error);
      }
    }
    if (first) throw first;
  }
}
