import { EventBus, silentLogger } from "@echelon/core";
import {
  AGENT_TYPE,
  DISTRIBUTION_STRATEGY,
  EXPANDER,
  EchelonContainer,
  type EchelonPlugin,
  PATTERN,
  type Pattern,
  type PluginContext,
} from "@echelon/core/plugin";

/**
 * Registers a plugin into a fresh container and returns the pattern it registered.
 *
 * @param plugin - a pattern plugin
 * @param name - which pattern, when the plugin registers several (default the only one)
 * @returns the pattern object
 * @throws Error when the plugin registers no pattern, several without `name`, or none named `name`
 */
export function loadPattern(plugin: EchelonPlugin, name?: string): Pattern {
  const container = new EchelonContainer();
  const context: PluginContext = {
    container,
    events: new EventBus(),
    logger: silentLogger,
    registerPattern: (p) => container.add(PATTERN, p),
    registerStrategy: (s) => container.add(DISTRIBUTION_STRATEGY, s),
    registerAgentType: (t) => container.add(AGENT_TYPE, t),
    registerExpander: (x) => container.add(EXPANDER, x),
    bind: (token, value, options) => container.bind(token, value, options),
    add: (token, value) => container.add(token, value),
  };
  plugin.register(context);
  const patterns = container.getAll(PATTERN);
  if (name !== undefined) {
    const found = patterns.find((p) => p.name === name);
    if (!found) throw new Error(`Plugin "${plugin.name}" registers no pattern named "${name}".`);
    return found;
  }
  if (patterns.length !== 1) {
    throw new Error(
      `Plugin "${plugin.name}" registers ${patterns.length} patterns; pass { pattern: "<name>" } to pick one.`,
    );
  }
  return patterns[0]!;
}
