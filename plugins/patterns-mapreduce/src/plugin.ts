import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { MapReducePattern } from "./map-reduce-pattern.js";
import type { MapReduceRunOptions } from "./options.js";
import type { CustomReducerFn, CustomReducerOptions } from "./reducer.js";

/** A custom reducer given to the plugin factory: a function, or a function with options. */
export type CustomReducerDefinition =
  | CustomReducerFn
  | ({
      /** The reducer; the other fields are its options. */
      readonly fn: CustomReducerFn;
    } & CustomReducerOptions);

/** Options of {@link mapReducePattern}. */
export interface MapReducePluginOptions {
  /** Run options used when a node's `patternOptions` leave them out. */
  readonly defaults?: MapReduceRunOptions;
  /** Custom reducers registered up front, by name. */
  readonly reducers?: Readonly<Record<string, CustomReducerDefinition>>;
}

/** The plugin, with the pattern object it registers (for `registerCustomReducer`). */
export interface MapReducePlugin extends EchelonPlugin {
  /** The pattern this plugin registers. */
  readonly pattern: MapReducePattern;
}

/**
 * The map-reduce pattern plugin (pattern name `mapreduce`).
 *
 * @param options - default run options and custom reducers
 * @returns the plugin
 * @throws EchelonError `ECHELON_MAPREDUCE_REDUCER_INVALID` for a bad custom reducer
 * @example
 * ```ts
 * const executor = new PatternExecutor({ plugins: [mapReducePattern({ defaults: { reducer: "sum" } })] });
 * ```
 */
export function mapReducePattern(options: MapReducePluginOptions = {}): MapReducePlugin {
  const pattern = new MapReducePattern({ ...options.defaults });
  for (const [name, def] of Object.entries(options.reducers ?? {})) {
    if (typeof def === "function") pattern.registerCustomReducer(name, def);
    else pattern.registerCustomReducer(name, def.fn, def);
  }
  const plugin = definePlugin({
    name: "@echelon/patterns-mapreduce",
    version: "0.1.0",
    register: (ctx) => ctx.registerPattern(pattern),
  });
  return { ...plugin, pattern };
}
