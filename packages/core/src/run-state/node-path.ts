/**
 * The one grammar of node paths, built and parsed here and nowhere else.
 *
 * ```
 * path         = segment *( "/" segment ) [ ":compensate" ]
 * segment      = task-id [ "#" invocation ]
 * ```
 *
 * - A plan node's path is its ids from the root joined by `/` (`root/b/c`).
 * - A repeated run of one node (a scatter-gather replica, a pipeline item) is an **invocation**:
 *   `root/b#replica-2`. The children of an invocation live under it: `root/b#item-3/c`.
 * - The compensation of a task is the task's path plus `:compensate` (`root/b:compensate`).
 *
 * Task ids never contain `/` or `#` and never end with `:compensate` (the plan schema refuses
 * them); invocation keys never contain `/`, `#` or `:` ({@link NodePath.invocation} refuses them).
 */

import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

const COMPENSATE = ":compensate";
const INVOCATION_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/** One segment of a parsed path. */
export interface NodePathSegment {
  /** The task id. */
  readonly id: string;
  /** The invocation key, or `null` for the node's own run. */
  readonly invocation: string | null;
}

/** A path taken apart by {@link NodePath.parse}. */
export interface ParsedNodePath {
  /** Segments from the root. */
  readonly segments: readonly NodePathSegment[];
  /** True for the path of a compensation. */
  readonly compensation: boolean;
}

/**
 * Builds and parses node paths (see the module comment for the grammar).
 *
 * @example
 * ```ts
 * NodePath.child("root", "b");               // "root/b"
 * NodePath.invocation("root/b", "item-3");   // "root/b#item-3"
 * NodePath.compensation("root/b");           // "root/b:compensate"
 * NodePath.planPath("root/b#item-3/c");      // "root/b/c"
 * ```
 */
export const NodePath = {
  /** The path of child `id` under `parent`. */
  child(parent: string, id: string): string {
    return parent === "" ? id : `${parent}/${id}`;
  },

  /**
   * The path of invocation `key` of the node at `path`.
   *
   * @throws EchelonError `ECHELON_PATTERN_FAILED` when the key is not 1–128 letters, digits or `_ . -`
   */
  invocation(path: string, key: string): string {
    if (!INVOCATION_KEY.test(key)) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_FAILED,
        `Invocation key "${String(key).slice(0, 40)}" of "${path}" must be 1–128 letters, digits or _ . - (no / # :).`,
        { details: { nodePath: path, invocation: String(key).slice(0, 200) } },
      );
    }
    return `${path}#${key}`;
  },

  /** The path of the compensation of the task at `path`. */
  compensation(path: string): string {
    return `${path}${COMPENSATE}`;
  },

  /** True when `path` is a compensation's path. */
  isCompensation(path: string): boolean {
    return path.endsWith(COMPENSATE);
  },

  /** The task a compensation path undoes (`root/b#i:compensate` → `root/b#i`), or `null` for other paths. */
  compensated(path: string): string | null {
    return path.endsWith(COMPENSATE) ? path.slice(0, -COMPENSATE.length) : null;
  },

  /** True for the path of a plan node itself: no invocation anywhere and no compensation. */
  isPlanNode(path: string): boolean {
    return !path.includes("#") && !path.endsWith(COMPENSATE);
  },

  /**
   * The plan node a path runs: invocation keys removed, the compensation suffix kept
   * (`root/b#item-3/c` → `root/b/c`; `root/b#r-1:compensate` → `root/b:compensate`).
   */
  planPath(path: string): string {
    if (!path.includes("#")) return path;
    let out = "";
    let skipping = false;
    for (let i = 0; i < path.length; i++) {
      const ch = path[i]!;
      if (ch === "#") skipping = true;
      else if (ch === "/") {
        skipping = false;
        out += ch;
      } else if (ch === ":" && skipping) {
        // Invocation keys hold no ":", so this is the compensation suffix.
        skipping = false;
        out += ch;
      } else if (!skipping) out += ch;
    }
    return out;
  },

  /** The plan node a path belongs to, compensation suffix removed too (`root/b#r-1:compensate` → `root/b`). */
  taskPath(path: string): string {
    const plan = NodePath.planPath(path);
    return plan.endsWith(COMPENSATE) ? plan.slice(0, -COMPENSATE.length) : plan;
  },

  /** The enclosing node's path (`root/b#i/c` → `root/b#i`), or `null` for a root. */
  parent(path: string): string | null {
    const compensated = NodePath.compensated(path);
    if (compensated !== null) return NodePath.parent(compensated);
    const slash = path.lastIndexOf("/");
    return slash < 0 ? null : path.slice(0, slash);
  },

  /** Depth of the node (root = 0). */
  depth(path: string): number {
    let depth = 0;
    for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) depth++;
    return depth;
  },

  /** The last segment's task id (`root/b#i` → `b`). */
  id(path: string): string {
    const task = NodePath.compensated(path) ?? path;
    const last = task.slice(task.lastIndexOf("/") + 1);
    const hash = last.indexOf("#");
    return hash < 0 ? last : last.slice(0, hash);
  },

  /** Takes a path apart. */
  parse(path: string): ParsedNodePath {
    const compensated = NodePath.compensated(path);
    const task = compensated ?? path;
    const segments = task.split("/").map((part): NodePathSegment => {
      const hash = part.indexOf("#");
      return hash < 0
        ? { id: part, invocation: null }
        : { id: part.slice(0, hash), invocation: part.slice(hash + 1) };
    });
    return { segments, compensation: compensated !== null };
  },

  /** Builds a path from its parts (the inverse of {@link NodePath.parse}). */
  format(parsed: ParsedNodePath): string {
    const task = parsed.segments
      .map((s) => (s.invocation === null ? s.id : `${s.id}#${s.invocation}`))
      .join("/");
    return parsed.compensation ? `${task}${COMPENSATE}` : task;
  },
} as const;
