/**
 * Error codes raised by `@echelon/patterns-mapreduce`. Append-only; a code is never reused.
 */
export const MapReduceErrorCode = {
  /** `patternOptions.reducer` or `.combiner` names no built-in or registered reducer. `details.known` lists the names. */
  REDUCER_UNKNOWN: "ECHELON_MAPREDUCE_REDUCER_UNKNOWN",
  /** `registerCustomReducer` was called twice for one name without `{ override: true }`, or with a bad name or function. */
  REDUCER_INVALID: "ECHELON_MAPREDUCE_REDUCER_INVALID",
  /** A map-reduce option has the wrong type or range (`chunkSize`, `onError`, `maxInFlight`). */
  OPTIONS_INVALID: "ECHELON_MAPREDUCE_OPTIONS_INVALID",
  /** The reducer or combiner threw, or a map output does not fit the reducer (e.g. `sum` of a string). */
  REDUCE_FAILED: "ECHELON_MAPREDUCE_REDUCE_FAILED",
} as const;

/** One of the map-reduce error codes. */
export type MapReduceErrorCode = (typeof MapReduceErrorCode)[keyof typeof MapReduceErrorCode];
