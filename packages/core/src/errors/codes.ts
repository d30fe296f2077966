/**
 * The catalogue of error codes raised by `@echelon/core`. Codes are append-only: a code is
 * never renamed or reused for another meaning. Every code is documented in `docs/errors.md`.
 */
export const CoreErrorCode = {
  /** A TaskSpec, plan or option failed validation. `details.issues` lists every problem with its path. */
  SPEC_INVALID: "ECHELON_SPEC_INVALID",
  /** `dependsOn` among siblings forms a cycle. `details.cycle` lists the ids in order. */
  SPEC_DEPENDENCY_CYCLE: "ECHELON_SPEC_DEPENDENCY_CYCLE",
  /** The spec or plan nests deeper than `maxDepth`, or deeper than the hard nesting limit. */
  SPEC_TOO_DEEP: "ECHELON_SPEC_TOO_DEEP",
  /** Orchestrator or executor options are invalid (non-finite, negative, wrong type). */
  CONFIG_INVALID: "ECHELON_CONFIG_INVALID",
  /** A plan node names a pattern that no registered plugin provides. */
  PATTERN_UNKNOWN: "ECHELON_PATTERN_UNKNOWN",
  /** A distribution strategy name is not registered. */
  STRATEGY_UNKNOWN: "ECHELON_STRATEGY_UNKNOWN",
  /** An agent type name or agent id is not registered. */
  AGENT_TYPE_UNKNOWN: "ECHELON_AGENT_TYPE_UNKNOWN",
  /** No registered agent or agent type offers a capability the plan needs. */
  AGENT_NO_CAPABILITY: "ECHELON_AGENT_NO_CAPABILITY",
  /** A level cap or agent capacity setting makes the request impossible to satisfy. */
  CAPACITY_EXCEEDED: "ECHELON_CAPACITY_EXCEEDED",
  /** The orchestration or task was cancelled. */
  CANCELLED: "ECHELON_CANCELLED",
  /** A task exceeded its timeout; its agent's signal was aborted. */
  TASK_TIMEOUT: "ECHELON_TASK_TIMEOUT",
  /** An agent threw or rejected; the original error is the `cause`. */
  TASK_FAILED: "ECHELON_TASK_FAILED",
  /** A task or pattern produced a value that is not JSON-serialisable. */
  RESULT_NOT_SERIALIZABLE: "ECHELON_RESULT_NOT_SERIALIZABLE",
  /** A plugin names a dependency that is not installed. */
  PLUGIN_DEPENDENCY_MISSING: "ECHELON_PLUGIN_DEPENDENCY_MISSING",
  /** Plugins depend on each other in a cycle. */
  PLUGIN_DEPENDENCY_CYCLE: "ECHELON_PLUGIN_DEPENDENCY_CYCLE",
  /** A plugin hook (register, start, stop) threw; the plugin and hook are in `details`. */
  PLUGIN_HOOK_FAILED: "ECHELON_PLUGIN_HOOK_FAILED",
  /** Two plugins were given the same name. */
  PLUGIN_DUPLICATE: "ECHELON_PLUGIN_DUPLICATE",
  /** A single-slot token was bound twice without `{ override: true }`. */
  DI_DUPLICATE_BINDING: "ECHELON_DI_DUPLICATE_BINDING",
  /** A token was resolved that nothing registered. */
  DI_UNBOUND_TOKEN: "ECHELON_DI_UNBOUND_TOKEN",
  /** An orchestration id is unknown to this orchestrator. */
  ORCHESTRATION_UNKNOWN: "ECHELON_ORCHESTRATION_UNKNOWN",
  /** An orchestration id is already in use by a running orchestration. */
  ORCHESTRATION_DUPLICATE: "ECHELON_ORCHESTRATION_DUPLICATE",
  /** The orchestrator was shut down; it accepts no new work. */
  ORCHESTRATOR_SHUT_DOWN: "ECHELON_ORCHESTRATOR_SHUT_DOWN",
  /** A pattern plugin broke its contract (threw a non-error, returned a bad outcome). */
  PATTERN_FAILED: "ECHELON_PATTERN_FAILED",
  /** `bind()` was used on a many-per-token token, or `add()` on a single-slot one. */
  DI_TOKEN_KIND: "ECHELON_DI_TOKEN_KIND",
  /** Two registrations (plugins, or a plugin and the options) use one pattern, strategy or agent type name. */
  PLUGIN_NAME_CONFLICT: "ECHELON_PLUGIN_NAME_CONFLICT",
  /** The options of a pattern at a plan node are invalid (checked for every node before any work starts). */
  PATTERN_OPTIONS_INVALID: "ECHELON_PATTERN_OPTIONS_INVALID",
  /** Another process holds the run's lease; `details` name the owner and when the lease expires. */
  STORE_LEASE_HELD: "ECHELON_STORE_LEASE_HELD",
  /** The journal could not be written (disk full, read-only file, database busy); the run failed closed and can be resumed. */
  STORE_WRITE_FAILED: "ECHELON_STORE_WRITE_FAILED",
  /** The plan's definition changed between the crash and the resume (its hash differs); resume with `force` to run the new one. */
  RESUME_PLAN_CHANGED: "ECHELON_RESUME_PLAN_CHANGED",
  /** The run cannot be resumed: unknown to the store, or the store keeps no journal to resume from. */
  RESUME_IMPOSSIBLE: "ECHELON_RESUME_IMPOSSIBLE",
  /** A run-time expansion could not make valid children (no list where `items` points, a template that renders an invalid task, a cycle, an unknown capability); `details.issues` has the paths. */
  EXPANSION_INVALID: "ECHELON_EXPANSION_INVALID",
  /** An expansion made more children than its bound (`expand.maxChildren`, the orchestrator's `expansion.maxChildren`). */
  EXPANSION_TOO_MANY_CHILDREN: "ECHELON_EXPANSION_TOO_MANY_CHILDREN",
  /** Expansions would add more tasks to the run than the orchestrator's `expansion.maxTasks`. */
  EXPANSION_LIMIT: "ECHELON_EXPANSION_LIMIT",
  /** A spec names an expander (`expand.using`) that no plugin registers. */
  EXPANDER_UNKNOWN: "ECHELON_EXPANDER_UNKNOWN",
} as const;

/** One of the core error codes. */
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

/**
 * Any Echelon error code: core's own, or a plugin's. Plugin codes follow the same
 * `ECHELON_<AREA>_<WHAT>` shape and are declared in the plugin's `errors.ts`.
 */
export type EchelonErrorCode = CoreErrorCode | `ECHELON_${string}`;
