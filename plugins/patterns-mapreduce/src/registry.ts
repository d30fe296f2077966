import type { MapReducePattern } from "./map-reduce-pattern.js";

declare module "@echelon/core" {
  /** Types `executor.patterns.mapreduce` as the map-reduce pattern (with `registerCustomReducer`). */
  interface PatternRegistry {
    /** The map-reduce pattern, so `executor.patterns["mapreduce"]` is typed as a {@link MapReducePattern}. */
    mapreduce: MapReducePattern;
  }
}
