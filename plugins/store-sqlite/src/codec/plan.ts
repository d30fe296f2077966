import { gunzipSync } from "node:zlib";
import type { Plan, PlanNode } from "@echelon/core";
import { MalformedRowError } from "./decode.js";

/**
 * The compact form of a plan (`plans.encoding` 2). A plan as core builds it repeats, in every
 * node, what the tree already says (its path and depth) and a dozen fields that are almost
 * always at their default: as JSON, a 10,000-leaf plan is 2.9 MB and parsing it back was the
 * largest part of reading a run. The compact form keeps only what is not derivable:
 *
 * - the plan: `[taskId, nodeCount, leafCount, depth, source, root]`;
 * - a node: `[id, description, input]`, plus a fourth item, an object of the node's keys whose
 *   value is not the expected one: `path` (expected: the parent's path + `/` + id; the root's
 *   is its id; a compensation's is its owner's + `:compensate`), `depth` (the parent's + 1; 0
 *   for the root; a compensation's is its owner's), `complexity` (`atomic`), `pattern`,
 *   `timeoutMs`, `retry`, `strategy`, `expand`, `compensate` (`null`), `priority` (0),
 *   `patternOptions`, `metadata` (`{}`), `capabilities`, `dependsOn`, `children` (`[]`).
 *   `children` holds compact nodes, `compensate` a compact node.
 *
 * Decoding gives the plan that a JSON round trip of the original gives, key for key and in
 * core's key order. A plan that is not in core's shape (other keys or another key order, an
 * `undefined` value, a `toJSON`) is not encoded compactly: the writer stores its JSON
 * (`encoding` 1), as before.
 */

/** The keys of a plan node, in the order core's plan builder writes them. */
const NODE_KEYS = [
  "id",
  "path",
  "description",
  "input",
  "depth",
  "complexity",
  "pattern",
  "patternOptions",
  "capabilities",
  "priority",
  "dependsOn",
  "children",
  "compensate",
  "timeoutMs",
  "retry",
  "strategy",
  "metadata",
  "expand",
] as const;

const PLAN_KEYS = ["taskId", "root", "nodeCount", "leafCount", "depth", "source"] as const;

const COMPENSATE = ":compensate";

/** Shared by decoded nodes that have none (plans are immutable; core's builder shares them too). */
const EMPTY_OBJECT: Readonly<Record<string, unknown>> = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);

type CompactNode = [id: string, description: string, input: unknown, extra?: Record<string, unknown>];
type CompactPlan = [
  taskId: string,
  nodeCount: number,
  leafCount: number,
  depth: number,
  source: string,
  root: CompactNode,
];

function hasExactKeys(value: object, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  if (own.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (own[i] !== keys[i]) return false;
  return true;
}

/** The last frozen empty objects seen (core's builder shares one): known empty without a key list. */
const knownEmpty = new WeakSet<object>();

/** True for a value that JSON writes as `{}`. */
function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (knownEmpty.has(value)) return true;
  const empty =
    !Array.isArray(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function" &&
    Object.keys(value).length === 0;
  // A frozen empty object stays empty (a toJSON could only come from its prototype, which is frozen too).
  if (empty && Object.isFrozen(value) && Object.getPrototypeOf(value) === Object.prototype)
    knownEmpty.add(value);
  return empty;
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** Where a node sits in the tree: the parent (or the owner, for a compensation), or none for the root. */
type Place =
  | { readonly kind: "root" }
  | { readonly kind: "child" | "compensation"; readonly path: string; readonly depth: number };

const ROOT: Place = { kind: "root" };

/** True when `path` is {@link expectedPath} of `place` and `id`, without building it. */
function isExpectedPath(path: string, place: Place, id: string): boolean {
  if (place.kind === "root") return path === id;
  if (place.kind === "compensation") return path === `${place.path}${COMPENSATE}`;
  const parent = place.path;
  return (
    path.length === parent.length + 1 + id.length &&
    path.charCodeAt(parent.length) === 47 &&
    path.startsWith(parent) &&
    path.endsWith(id)
  );
}

function expectedPath(place: Place, id: string): string {
  if (place.kind === "root") return id;
  return place.kind === "child" ? `${place.path}/${id}` : `${place.path}${COMPENSATE}`;
}

function expectedDepth(place: Place): number {
  if (place.kind === "root") return 0;
  return place.kind === "child" ? place.depth + 1 : place.depth;
}

/** True when no key of the node is `undefined` (JSON would drop it, and the compact form would not). */
function hasNoUndefined(node: PlanNode): boolean {
  // Named reads (one object shape for every node core builds), not a loop over NODE_KEYS.
  return (
    node.id !== undefined &&
    node.path !== undefined &&
    node.description !== undefined &&
    node.input !== undefined &&
    node.depth !== undefined &&
    node.complexity !== undefined &&
    node.pattern !== undefined &&
    node.patternOptions !== undefined &&
    node.capabilities !== undefined &&
    node.priority !== undefined &&
    node.dependsOn !== undefined &&
    node.children !== undefined &&
    node.compensate !== undefined &&
    node.timeoutMs !== undefined &&
    node.retry !== undefined &&
    node.strategy !== undefined &&
    node.metadata !== undefined &&
    node.expand !== undefined
  );
}

/** Compact node, or `null` when the node (or one below it) is not in core's shape. */
function encodeNode(node: PlanNode, place: Place): CompactNode | null {
  if (node === null || typeof node !== "object" || !hasExactKeys(node, NODE_KEYS)) return null;
  if (typeof (node as { toJSON?: unknown }).toJSON === "function") return null;
  if (!hasNoUndefined(node)) return null;
  if (typeof node.id !== "string" || typeof node.description !== "string") return null;
  if (!Array.isArray(node.children)) return null;
  const extra: Record<string, unknown> = {};
  let kept = false;
  if (!isExpectedPath(node.path, place, node.id)) kept = keep(extra, "path", node.path);
  if (node.depth !== expectedDepth(place)) kept = keep(extra, "depth", node.depth);
  if (node.complexity !== "atomic") kept = keep(extra, "complexity", node.complexity);
  if (node.pattern !== null) kept = keep(extra, "pattern", node.pattern);
  if (!isEmptyObject(node.patternOptions)) kept = keep(extra, "patternOptions", node.patternOptions);
  if (!isEmptyList(node.capabilities)) kept = keep(extra, "capabilities", node.capabilities);
  if (node.priority !== 0) kept = keep(extra, "priority", node.priority);
  if (!isEmptyList(node.dependsOn)) kept = keep(extra, "dependsOn", node.dependsOn);
  if (node.children.length > 0) {
    const parent: Place = { kind: "child", path: node.path, depth: node.depth };
    const children: CompactNode[] = [];
    for (const child of node.children) {
      const compact = encodeNode(child, parent);
      if (compact === null) return null;
      children.push(compact);
    }
    kept = keep(extra, "children", children);
  }
  if (node.compensate !== null) {
    const compact = encodeNode(node.compensate, { kind: "compensation", path: node.path, depth: node.depth });
    if (compact === null) return null;
    kept = keep(extra, "compensate", compact);
  }
  if (node.timeoutMs !== null) kept = keep(extra, "timeoutMs", node.timeoutMs);
  if (node.retry !== null) kept = keep(extra, "retry", node.retry);
  if (node.strategy !== null) kept = keep(extra, "strategy", node.strategy);
  if (!isEmptyObject(node.metadata)) kept = keep(extra, "metadata", node.metadata);
  if (node.expand !== null) kept = keep(extra, "expand", node.expand);
  return kept ? [node.id, node.description, node.input, extra] : [node.id, node.description, node.input];
}

/** Sets a field of a node's extras. @returns true */
function keep(extra: Record<string, unknown>, key: string, value: unknown): true {
  extra[key] = value;
  return true;
}

/**
 * The compact JSON of a plan, or `null` when the plan is not in core's shape (then store its JSON).
 *
 * @param plan - a plan as core builds it
 * @returns the compact form's JSON text, or `null`
 */
export function encodeCompactPlan(plan: Plan): string | null {
  if (plan === null || typeof plan !== "object" || !hasExactKeys(plan, PLAN_KEYS)) return null;
  if (typeof (plan as { toJSON?: unknown }).toJSON === "function") return null;
  for (const key of PLAN_KEYS)
    if ((plan as unknown as Record<string, unknown>)[key] === undefined) return null;
  const root = encodeNode(plan.root, ROOT);
  if (root === null) return null;
  const compact: CompactPlan = [plan.taskId, plan.nodeCount, plan.leafCount, plan.depth, plan.source, root];
  return JSON.stringify(compact);
}

function field(extra: Record<string, unknown> | undefined, key: string, fallback: unknown): unknown {
  return extra !== undefined && Object.hasOwn(extra, key) ? extra[key] : fallback;
}

/** A node with no extra fields (most leaves). */
function defaultNode(id: string, description: string, input: unknown, place: Place): PlanNode {
  return leafNode(id, description, input, expectedPath(place, id), expectedDepth(place));
}

/** A node with no extra fields, its path and depth given: one object literal, no lookups. */
function leafNode(id: string, description: unknown, input: unknown, path: string, depth: number): PlanNode {
  return Object.freeze({
    id,
    path,
    description,
    input,
    depth,
    complexity: "atomic",
    pattern: null,
    patternOptions: EMPTY_OBJECT,
    capabilities: EMPTY_LIST,
    priority: 0,
    dependsOn: EMPTY_LIST,
    children: EMPTY_LIST,
    compensate: null,
    timeoutMs: null,
    retry: null,
    strategy: null,
    metadata: EMPTY_OBJECT,
    expand: null,
  }) as PlanNode;
}

function decodeNode(compact: unknown, place: Place): PlanNode {
  if (!Array.isArray(compact) || compact.length < 3 || compact.length > 4 || typeof compact[0] !== "string")
    throw new MalformedRowError("a node is not [id, description, input, extra?]");
  // Indexed, not destructured: a resume decodes every node once, mostly before the code is optimised.
  const id = compact[0] as string;
  const description = compact[1] as string;
  const input = compact[2];
  const extra = compact[3] as Record<string, unknown> | undefined;
  if (extra !== undefined && (extra === null || typeof extra !== "object" || Array.isArray(extra)))
    throw new MalformedRowError(`node "${id}" has extra fields that are not an object`);
  if (extra === undefined) return defaultNode(id, description, input, place);
  const path = field(extra, "path", expectedPath(place, id)) as string;
  const depth = field(extra, "depth", expectedDepth(place)) as number;
  let children: readonly PlanNode[] = EMPTY_LIST;
  const stored = extra?.children;
  if (stored !== undefined) {
    if (!Array.isArray(stored)) throw new MalformedRowError(`the children of "${path}" are not a list`);
    const parent: Place = { kind: "child", path, depth };
    const list = new Array<PlanNode>(stored.length);
    for (let i = 0; i < stored.length; i++) {
      const child = stored[i];
      // A leaf with no extra fields (most nodes of a large plan): built here, without the checks of a full node.
      list[i] =
        Array.isArray(child) && child.length === 3 && typeof child[0] === "string"
          ? leafNode(child[0], child[1], child[2], `${path}/${child[0]}`, depth + 1)
          : decodeNode(child, parent);
    }
    children = Object.freeze(list);
  }
  const compensate = extra?.compensate;
  return Object.freeze({
    id,
    path,
    description,
    input,
    depth,
    complexity: field(extra, "complexity", "atomic"),
    pattern: field(extra, "pattern", null),
    patternOptions: field(extra, "patternOptions", EMPTY_OBJECT),
    capabilities: field(extra, "capabilities", EMPTY_LIST),
    priority: field(extra, "priority", 0),
    dependsOn: field(extra, "dependsOn", EMPTY_LIST),
    children,
    compensate:
      compensate === undefined ? null : decodeNode(compensate, { kind: "compensation", path, depth }),
    timeoutMs: field(extra, "timeoutMs", null),
    retry: field(extra, "retry", null),
    strategy: field(extra, "strategy", null),
    metadata: field(extra, "metadata", EMPTY_OBJECT),
    expand: field(extra, "expand", null),
  }) as PlanNode;
}

/**
 * Rebuilds a plan from its compact JSON: the plan a JSON round trip of the original gives,
 * with the plan, its nodes and their child lists frozen as in the plans core builds.
 *
 * @param text - what {@link encodeCompactPlan} returned
 * @returns the plan
 * @throws MalformedRowError when the text is not a compact plan
 */
export function decodeCompactPlan(text: string): Plan {
  let compact: unknown;
  try {
    compact = JSON.parse(text);
  } catch (error) {
    throw new MalformedRowError(`the plan is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(compact) || compact.length !== 6)
    throw new MalformedRowError("the plan is not [taskId, nodeCount, leafCount, depth, source, root]");
  const [taskId, nodeCount, leafCount, depth, source, root] = compact as CompactPlan;
  // Frozen like the plans core builds, so core's per-plan caches apply to it too.
  return Object.freeze({
    taskId,
    root: decodeNode(root, ROOT),
    nodeCount,
    leafCount,
    depth,
    source,
  }) as Plan;
}

/** How a row of `plans` holds its plan (`plans.encoding`). */
export const PlanEncoding = {
  /** Gzipped JSON of the plan. */
  JSON: 1,
  /** Gzipped compact form ({@link encodeCompactPlan}). */
  COMPACT: 2,
} as const;

/**
 * The plan a row of `plans` holds.
 *
 * @param body - the gzipped text
 * @param encoding - `plans.encoding`
 * @throws MalformedRowError when the row cannot be read
 */
export function decodeStoredPlan(body: Buffer, encoding: number): unknown {
  let text: string;
  try {
    text = gunzipSync(body, { chunkSize: Math.max(64 * 1024, body.length * 4) }).toString("utf8");
  } catch (error) {
    throw new MalformedRowError(`the plan is not gzipped (${(error as Error).message})`);
  }
  if (encoding === PlanEncoding.COMPACT) return decodeCompactPlan(text);
  if (encoding !== PlanEncoding.JSON) throw new MalformedRowError(`unknown plan encoding ${encoding}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedRowError(`the plan is not JSON (${(error as Error).message})`);
  }
}
