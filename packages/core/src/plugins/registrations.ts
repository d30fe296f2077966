import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Contribution } from "./plugin-host.js";

/** A named plugin contribution (pattern, strategy, agent type) with the plugin that registered it. */
export interface Registered<T> {
  readonly value: T;
  /** Plugin name, or `null` when it came from the orchestrator's options. */
  readonly plugin: string | null;
}

function source(plugin: string | null): string {
  return plugin === null ? "the options" : `plugin "${plugin}"`;
}

/**
 * Indexes contributions by their `name`, refusing two with one name: the last registration
 * never silently wins.
 *
 * @param kind - what is registered, for the message (`pattern`, `distribution strategy`, `agent type`)
 * @param contributions - registrations in order
 * @returns name → registration, in registration order
 * @throws EchelonError `ECHELON_PLUGIN_NAME_CONFLICT` naming both sources; `ECHELON_CONFIG_INVALID` when both came from the options
 */
export function indexByName<T extends { readonly name: string }>(
  kind: string,
  contributions: readonly Contribution<T>[],
): Map<string, Registered<T>> {
  const byName = new Map<string, Registered<T>>();
  for (const { value, plugin } of contributions) {
    const name = value.name;
    const first = byName.get(name);
    if (first !== undefined && first.plugin === null && plugin === null) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `Two ${kind}s in the options are named "${name}". Give each a distinct name.`,
        { details: { kind, name } },
      );
    }
    if (first !== undefined) {
      throw new EchelonError(
        CoreErrorCode.PLUGIN_NAME_CONFLICT,
        `Two ${kind}s are named "${name}": one from ${source(first.plugin)}, one from ${source(plugin)}. Install only one of them, or give one another name.`,
        { details: { kind, name, plugins: [first.plugin, plugin] } },
      );
    }
    byName.set(name, { value, plugin });
  }
  return byName;
}

/**
 * The error for a plugin hook that threw or broke its contract, naming the plugin and the hook
 * (as Rollup's PluginDriver does). An {@link EchelonError} the hook raised on purpose is kept
 * as the `cause`.
 *
 * @param plugin - plugin name (`null` for values from options)
 * @param hook - the hook, e.g. `select`, `recommend`, `decompose`, `summarize`
 * @param cause - what was thrown, or a description of the broken contract
 * @param details - more facts (strategy, pattern, node path)
 */
export function hookFailed(
  plugin: string | null,
  hook: string,
  cause: unknown,
  details: Readonly<Record<string, unknown>> = {},
): EchelonError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new EchelonError(
    CoreErrorCode.PLUGIN_HOOK_FAILED,
    `${plugin === null ? "An object from the options" : `Plugin "${plugin}"`} failed in ${hook}(): ${message}`,
    { cause, details: { plugin, hook, ...details } },
  );
}
