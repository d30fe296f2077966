/**
 * The catalogue of error codes raised by `@echelon/core`. Codes are append-only: a code is
 * never renamed or reused for another meaning. Every code is documented in `docs/errors.md`.
 */
export const CoreErrorCode = {
  /** A TaskSpec, plan or option failed validation. `details.issues` lists every problem with its path. */
  INVALID_SPEC: "ECHELON_SPEC_INVALID",
  /** `dependsOn` among siblings forms a cycle. `details.cycle` lists the ids in order. */
  DEPENDENCY_CYCLE: "ECHELON_SPEC_DEPENDENCY_CYCLE",
  /** The spec or plan nests deeper than `maxDepth`, or deeper than the hard nesting limit. */
  TOO_DEEP: "ECHELON_SPEC_TOO_DEEP",
  /** Orchestrator or executor options are invalid (non-finite, negative, wrong type). */
  INVALID_CONFIG: "ECHELON_CONFIG_INVALID",
  /** A plan node names a pattern that no registered plugin provides. */
  UNKNOWN_PATTERN: "ECHELON_PATTERN_UNKNOWN",
  /** A distribution strategy name is not registered. */
  UNKNOWN_STRATEGY: "ECHELON_STRATEGY_UNKNOWN",
  /** An agent type name or agent id is not registered. */
  UNKNOWN_AGENT_TYPE: "ECHELON_AGENT_TYPE_UNKNOWN",
  /** No registered agent or agent type offers a capability the plan needs. */
  NO_AGENT_FOR_CAPABILITY: "ECHELON_AGENT_NO_CAPABILITY",
  /** A level cap or agent capacity setting makes the request impossible to satisfy. */
  CAPACITY: "ECHELON_CAPACITY_EXCEEDED",
  /** The orchestration or task was cancelled. */
  CANCELLED: "ECHELON_CANCELLED",
  /** A task exceeded its timeout; its agent's signal was aborted. */
  TIMEOUT: "ECHELON_TASK_TIMEOUT",
  /** An agent threw or rejected; the original error is the `cause`. */
  TASK_FAILED: "ECHELON_TASK_FAILED",
  /** A task or pattern produced a value that is not JSON-serialisable. */
  NOT_SERIALIZABLE: "ECHELON_RESULT_NOT_SERIALIZABLE",
  /** A plugin names a dependency that is not installed. */
  PLUGIN_DEPENDENCY_MISSING: "ECHELON_PLUGIN_DEPENDENCY_MISSING",
  /** Plugins depend on each other in a cycle. */
  PLUGIN_DEPENDENCY_CYCLE: "ECHELON_PLUGIN_DEPENDENCY_CYCLE",
  /** A plugin hook (register, start, stop) threw; the plugin and hook are in `details`. */
  PLUGIN_HOOK_FAILED: "ECHELON_PLUGIN_HOOK_FAILED",
  /** Two plugins were given the same name. */
  PLUGIN_DUPLICATE: "ECHELON_PLUGIN_DUPLICATE",
  /** A single-slot token was bound twice without `{ override: true }`. */
  DUPLICATE_BINDING: "ECHELON_DI_DUPLICATE_BINDING",
  /** A token was resolved that nothing registered. */
  UNBOUND_TOKEN: "ECHELON_DI_UNBOUND_TOKEN",
  /** An orchestration id is unknown to this orchestrator. */
  UNKNOWN_ORCHESTRATION: "ECHELON_ORCHESTRATION_UNKNOWN",
  /** An orchestration id is already in use by a running orchestration. */
  DUPLICATE_ORCHESTRATION: "ECHELON_ORCHESTRATION_DUPLICATE",
  /** The orchestrator was shut down; it accepts no new work. */
  SHUT_DOWN: "ECHELON_ORCHESTRATOR_SHUT_DOWN",
  /** A pattern plugin broke its contract (threw a non-error, returned a bad outcome). */
  PATTERN_FAILED: "ECHELON_PATTERN_FAILED",
} as const;

/** One of the core error codes. */
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

/**
 * Any Echelon error code: core's own, or a plugin's. Plugin codes follow the same
 * `ECHELON_<AREA>_<WHAT>` shape and are declared in the plugin's `errors.ts`.
 */
export type EchelonErrorCode = CoreErrorCode | `ECHELON_${string}`;
