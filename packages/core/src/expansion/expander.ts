import type { TaskSpec } from "../model/task.js";
import type { Logger } from "../util/logger.js";

/** What an {@link Expander} gets when a node that names it is reached. */
export interface ExpandRequest {
  /** Id of the orchestration. */
  readonly orchestrationId: string;
  /** Path of the node being expanded. */
  readonly nodePath: string;
  /** The node's description. */
  readonly description: string;
  /** The node's input as it arrives at run time (a previous pipeline stage's output, or its own). */
  readonly input: unknown;
  /** The node's capabilities. */
  readonly capabilities: readonly string[];
  /** The node's metadata. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Levels left below the node (a subtree deeper than this is refused). */
  readonly levelsBelow: number;
  /**
   * Most children this expansion may make (the node's `expand.maxChildren` within the
   * orchestrator's `expansion.maxChildren`); more is refused with `ECHELON_EXPANSION_TOO_MANY_CHILDREN`.
   * An expander that can trim its list (keep the best hits) should.
   */
  readonly maxChildren: number;
  /** Aborted when the run is cancelled or the node's `timeoutMs` passes. */
  readonly signal: AbortSignal;
  /** The orchestrator's logger. */
  readonly logger: Logger;
}

/** The children an expander makes for a node, with the pattern that coordinates them. */
export interface Expansion {
  /** Pattern coordinating the children; default the node's own `pattern`. */
  readonly pattern?: string;
  /** Options of that pattern; default the node's own. */
  readonly patternOptions?: Readonly<Record<string, unknown>>;
  /** The children, as task specs (validated like any spec before any of them starts). */
  readonly children: readonly TaskSpec[];
}

/**
 * Makes a node's children at run time, registered by a plugin (`ctx.registerExpander`) and
 * named by a spec's `expand: { using: "<name>" }`. The TypeScript way to fan out over what is
 * known only when the node is reached (search hits, files found, an LLM's split of a task).
 *
 * @example
 * ```ts
 * const filesExpander: Expander = {
 *   name: "files",
 *   async expand(request) {
 *     const names = await readdir(String(request.input));
 *     return { children: names.map((name) => ({ id: name.replace(/[^\w.-]/g, "_"), description: `read ${name}`, input: name })) };
 *   },
 * };
 * ```
 */
export interface Expander {
  /** Name used in `expand.using`; `decompose` is reserved for the orchestrator's decomposer. */
  readonly name: string;
  /** Makes the children (throws a coded error when it cannot). */
  expand(request: ExpandRequest): Expansion | Promise<Expansion>;
}
