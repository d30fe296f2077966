/**
 * `@echelon/patterns-mapreduce` — the map-reduce coordination pattern as an Echelon plugin.
 *
 * @packageDocumentation
 */
import "./registry.js";

export { MapReduceErrorCode } from "./errors.js";
export { type MapFailure, MapReducePattern } from "./map-reduce-pattern.js";
export type { MapFailurePolicy, MapReduceRunOptions } from "./options.js";
export {
  type CustomReducerDefinition,
  type MapReducePlugin,
  type MapReducePluginOptions,
  mapReducePattern,
} from "./plugin.js";
export {
  BUILT_IN_REDUCERS,
  type CustomReducerFn,
  type CustomReducerOptions,
  type Reducer,
} from "./reducer.js";
