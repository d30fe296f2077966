import type { EchelonPlugin } from "@echelon/core/plugin";
import { heuristicDecomposer } from "@echelon/decomposer";
import { distributionStrategies } from "@echelon/distributor";
import { forkJoinPattern } from "@echelon/patterns-fork-join";
import { mapReducePattern } from "@echelon/patterns-mapreduce";
import { pipelinePattern } from "@echelon/patterns-pipeline";
import { sagaPattern } from "@echelon/patterns-saga";
import { scatterGatherPattern } from "@echelon/patterns-scatter-gather";

/** Which default plugins to leave out of {@link defaultPlugins}. */
export interface DefaultPluginsOptions {
  /** Plugin names (`@echelon/patterns-saga`, …) not to include, e.g. because you pass your own. */
  readonly exclude?: readonly string[];
}

/** Names of the plugins {@link defaultPlugins} returns, in registration order. */
export const DEFAULT_PLUGIN_NAMES: readonly string[] = [
  "@echelon/decomposer",
  "@echelon/distributor",
  "@echelon/patterns-mapreduce",
  "@echelon/patterns-pipeline",
  "@echelon/patterns-fork-join",
  "@echelon/patterns-scatter-gather",
  "@echelon/patterns-saga",
];

/**
 * Fresh instances of the default plugins: the heuristic decomposer, the four distribution strategies and the five
 * patterns (`mapreduce`, `pipeline`, `fork-join`, `scatter-gather`, `saga`). Each call makes new
 * plugin objects, so two orchestrators never share reducers, processors or round-robin turns.
 *
 * @param options - plugins to leave out
 * @returns the plugins, ready for `new HierarchicalOrchestrator({ plugins })` from `@echelon/core`
 * @example
 * ```ts
 * import { HierarchicalOrchestrator } from "@echelon/core";
 * const bare = new HierarchicalOrchestrator({ plugins: [...defaultPlugins(), myStorePlugin()] });
 * ```
 */
export function defaultPlugins(options: DefaultPluginsOptions = {}): EchelonPlugin[] {
  const exclude = new Set(options.exclude ?? []);
  const all: Array<[string, () => EchelonPlugin]> = [
    ["@echelon/decomposer", () => heuristicDecomposer()],
    ["@echelon/distributor", () => distributionStrategies()],
    ["@echelon/patterns-mapreduce", () => mapReducePattern()],
    ["@echelon/patterns-pipeline", () => pipelinePattern()],
    ["@echelon/patterns-fork-join", () => forkJoinPattern()],
    ["@echelon/patterns-scatter-gather", () => scatterGatherPattern()],
    ["@echelon/patterns-saga", () => sagaPattern()],
  ];
  return all.filter(([name]) => !exclude.has(name)).map(([, make]) => make());
}

/**
 * The user's plugins after the defaults they do not replace: a user plugin whose `name` equals a
 * default plugin's name (e.g. your own `sagaPattern({ ... })`) takes that default's place.
 *
 * @param user - plugins the user passed
 * @returns defaults first, then the user's plugins
 */
export function withDefaultPlugins(user: readonly EchelonPlugin[] = []): EchelonPlugin[] {
  const replaced = user.map((p) => p.name).filter((name) => DEFAULT_PLUGIN_NAMES.includes(name));
  return [...defaultPlugins({ exclude: replaced }), ...user];
}
