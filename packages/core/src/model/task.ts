/** How many levels of decomposition a task needs: 0, 1, 2, 3, 4+ (bounded by `maxDepth`). */
export type Complexity = "atomic" | "simple" | "moderate" | "complex" | "enterprise";

/** The complexities in increasing order; the index is the number of decomposition levels. */
export const COMPLEXITIES: readonly Complexity[] = ["atomic", "simple", "moderate", "complex", "enterprise"];

/** Retry policy of a task: how often, and how long to wait between attempts. */
export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). Default 1. */
  readonly attempts?: number;
  /** Wait before the second attempt, in milliseconds. Default 100. */
  readonly backoffMs?: number;
  /** Multiplier applied to the wait after every attempt. Default 2. */
  readonly factor?: number;
  /** Upper bound on one wait, in milliseconds. Default 30,000. */
  readonly maxBackoffMs?: number;
}

/** A string that is exactly one placeholder of an expansion template: `{{item}}`, `{{item.<path>}}`, `{{index}}`. */
export type Placeholder = `{{${string}}}`;

/**
 * The template of `expand.each`: a task spec any of whose fields may instead be a whole
 * {@link Placeholder}, replaced by the item's value when the child is made
 * (`dependsOn: "{{item.after}}"`, `priority: "{{item.rank}}"`). Strings may also contain
 * placeholders inside longer text.
 */
export type TaskTemplate = { readonly [K in keyof TaskSpec]: TaskSpec[K] | Placeholder };

/**
 * How a node gets its children **at run time** instead of up front (run-time fan-out and lazy
 * decomposition). Exactly one of `each` or `using`:
 *
 * - `each` — a task template made once per item of a list found in the node's input when the
 *   node is reached (`items` is a dot path into the input; absent: the input itself). Strings of
 *   the template may use `{{item}}`, `{{item.<path>}}` and `{{index}}`; a string that is exactly
 *   `"{{item}}"` (or `"{{item.<path>}}"`) becomes that value, not its text. Ids come from the
 *   template's `id` (rendered) or are `item-<index>`. The node's `pattern` coordinates them.
 * - `using` — an expander plugin by name (`registerExpander`), or `"decompose"`: the
 *   orchestrator's decomposer decomposes the node when it is reached (lazy decomposition).
 *
 * The new children are validated like any plan (same schema, same path errors) and checked for
 * agents and pattern options before any of them starts; `maxChildren` (and the orchestrator's
 * `expansion` limits) bound them.
 */
export interface ExpandSpec {
  /** Dot path to the list in the node's input at run time (`packages`, `result.items`); absent: the input. */
  readonly items?: string;
  /** The child made for each item (a task whose fields may be placeholders). */
  readonly each?: TaskTemplate;
  /** An expander registered by a plugin, or `"decompose"`. */
  readonly using?: string;
  /** Most children this expansion may add (at most the orchestrator's `expansion.maxChildren`). */
  readonly maxChildren?: number;
}

/**
 * What a user hands in when they know the structure of the work: a tree of tasks.
 * Loaded from code, JSON or YAML; the orchestrator validates it before any work starts
 * (`ECHELON_SPEC_INVALID` lists every problem), and plugin authors can run the same checks with
 * `validateTaskSpec` from `@echelon/core/plugin`.
 */
export interface TaskSpec {
  /** Unique among siblings; generated from the position when absent. */
  readonly id?: string;
  /** What the task is, in words. Required, non-empty. */
  readonly description: string;
  /** Input handed to the agent (or to the pattern, for a composite task). JSON. */
  readonly input?: unknown;
  /** Capabilities an agent must offer to run this task. */
  readonly capabilities?: readonly string[];
  /** Higher runs first where there is a choice. Default 0. */
  readonly priority?: number;
  /** Ids of siblings that must complete before this task starts. */
  readonly dependsOn?: readonly string[];
  /** Pattern that coordinates the children (a registered pattern name). */
  readonly pattern?: string;
  /** Options handed to the pattern (reducer name, gather strategy, …). JSON. */
  readonly patternOptions?: Readonly<Record<string, unknown>>;
  /** Subtasks; a task with children is composite. */
  readonly children?: readonly TaskSpec[];
  /** Children made at run time, when the task is reached (instead of `children`). */
  readonly expand?: ExpandSpec;
  /** A compensating task, run by patterns that compensate (saga) if a later step fails. */
  readonly compensate?: TaskSpec;
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs?: number;
  /** Retry policy of this task. */
  readonly retry?: RetryPolicy;
  /** Distribution strategy for this task's leaves, overriding the orchestrator's. */
  readonly strategy?: string;
  /** Free-form metadata, carried into the plan and handed to agents. JSON. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * One node of a {@link Plan}: immutable, JSON-serialisable. A node with children is
 * composite and is coordinated by `pattern`; a node without children is a leaf run by an agent.
 */
export interface PlanNode {
  /** Unique among siblings. */
  readonly id: string;
  /** Path from the root, ids joined by `/` (the root's path is its id). Unique in the plan. */
  readonly path: string;
  /** What the task is. */
  readonly description: string;
  /** Input for the agent or the pattern. */
  readonly input: unknown;
  /** Depth in the tree; the root is 0. Its agent level is `levels[depth]`. */
  readonly depth: number;
  /** How many levels of decomposition the task was judged to need. */
  readonly complexity: Complexity;
  /** Pattern coordinating the children; `null` for a leaf. */
  readonly pattern: string | null;
  /** Options for the pattern. */
  readonly patternOptions: Readonly<Record<string, unknown>>;
  /** Capabilities an agent must offer. */
  readonly capabilities: readonly string[];
  /** Scheduling priority; higher first. */
  readonly priority: number;
  /** Ids of siblings this node waits for. */
  readonly dependsOn: readonly string[];
  /** Subtasks, empty for a leaf (and for a node that expands at run time, until it does). */
  readonly children: readonly PlanNode[];
  /** How the node gets its children at run time, or `null`. */
  readonly expand: ExpandSpec | null;
  /** Compensating task (always a leaf), or `null`. */
  readonly compensate: PlanNode | null;
  /** Per-attempt timeout in milliseconds, or `null` for none. */
  readonly timeoutMs: number | null;
  /** Retry policy, or `null` for one attempt. */
  readonly retry: RetryPolicy | null;
  /** Strategy override for leaves under this node, or `null`. */
  readonly strategy: string | null;
  /** Free-form metadata. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The decomposer's output: a validated tree of {@link PlanNode}s plus facts about it. */
export interface Plan {
  /** Id of the task (the root node's id). */
  readonly taskId: string;
  /** The root node. */
  readonly root: PlanNode;
  /** Number of nodes in the tree, compensations excluded. */
  readonly nodeCount: number;
  /** Number of leaves. */
  readonly leafCount: number;
  /** Depth of the deepest node (root = 0). */
  readonly depth: number;
  /** Who made the plan: `spec`, `heuristic`, `llm`, … */
  readonly source: string;
}

/**
 * The unit a pattern works on outside a plan (the seed API's data class).
 * {@link PlanNode} children are turned into slices-like children by the orchestrator.
 */
export interface TaskSlice {
  /** Unique id of the slice. */
  readonly sliceId: string;
  /** The work: handed to the agent as its input. */
  readonly content: unknown;
  /** Free-form metadata (capabilities, compensation name, …). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Ids of slices that must complete first. */
  readonly dependencies?: readonly string[];
  /** Expected duration in milliseconds, if known (used only as a hint). */
  readonly estimatedDuration?: number;
}
