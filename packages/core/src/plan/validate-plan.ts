import { COMPLEXITIES, type Complexity, type ExpandSpec, type Plan } from "../model/task.js";
import { buildPlan, isBuiltPlan, type NodeDraft, subtreeHeights } from "./build.js";
import { complexityForHeight } from "./complexity.js";
import type { SpecIssue } from "./issues.js";
import { isPlainObject } from "./json-value.js";
import { measureTree } from "./measure.js";
import { type PlanBuildOptions, resolvePlanOptions } from "./options.js";
import { dependencyCycle, specInvalid, unknownPattern } from "./plan-errors.js";
import { keyPath } from "./paths.js";
import { type PlanPayload, readPlanTree } from "./read-plan.js";
import { parseWith, schemas } from "./schema.js";
import { findCycle, linkSiblings, type TreeRecord } from "./tree.js";

/**
 * Checks a Plan-shaped object (from an LLM, a file or a store) and returns a frozen copy.
 * Besides the TaskSpec rules (ids, dependsOn, cycles, limits, JSON fields, forbidden keys,
 * `maxDepth`), it checks that the plan is consistent: every `path` is the ids from the root
 * joined by `/`, every `depth` is the node's depth, leaves have `pattern: null` and composites
 * a pattern, a complexity is not lower than the subtree's height shows, compensations are leaves
 * with the id `<id>:compensate`, and `taskId`, `nodeCount`, `leafCount` and `depth` match the tree.
 *
 * @param input - the candidate plan, of any type
 * @param options - `maxDepth` and, optionally, the registered `patterns` (other options are unused)
 * @returns the plan, deep-copied and deeply frozen
 * @throws EchelonError `ECHELON_SPEC_INVALID` with `details.issues`; `ECHELON_SPEC_TOO_DEEP`;
 *   `ECHELON_SPEC_DEPENDENCY_CYCLE`; `ECHELON_PATTERN_UNKNOWN`; `ECHELON_CONFIG_INVALID` for bad options
 * @example
 * ```ts
 * const plan = validatePlan(JSON.parse(stored), { maxDepth: 3, patterns: ["fork-join"] });
 * ```
 */
export function validatePlan(input: unknown, options: PlanBuildOptions): Plan {
  const resolved = resolvePlanOptions(options);
  if (!isPlainObject(input)) {
    throw specInvalid("plan", [
      { path: "", message: "must be a plan object { taskId, root, nodeCount, … }" },
    ]);
  }
  measureTree(input.root, "root", "plan", resolved.maxDepth, resolved.maxNodes);
  if (isBuiltPlan(input)) return checkBuiltPlan(input, resolved.patternSet, resolved.patterns);
  const issues: SpecIssue[] = [];
  const header = parseWith(schemas().plan, input, "", issues);
  const hasRoot = Object.hasOwn(input, "root") && input.root !== undefined;
  if (!hasRoot) issues.push({ path: "root", message: "is required" });
  const records = hasRoot ? readPlanTree(input.root, resolved, issues) : [];
  linkSiblings(records, issues);
  checkConsistency(records, issues);
  if (header !== null && records.length > 0) checkHeader(header, records, issues);
  if (issues.length > 0) throw specInvalid("plan", issues);
  const found = findCycle(records);
  if (found !== null) {
    const parent = records[found.parent]!;
    throw dependencyCycle("plan", found.cycle, parent.path, parent.nodePath);
  }
  if (resolved.patternSet !== null) {
    const unknown = records.flatMap((record) => {
      const pattern = record.payload!.fields.pattern;
      return pattern === null || resolved.patternSet!.has(pattern)
        ? []
        : [{ path: keyPath(record.path, "pattern"), message: `unknown pattern "${pattern}"`, pattern }];
    });
    if (unknown.length > 0) throw unknownPattern("plan", unknown, resolved.patterns!);
  }
  const drafts = records.map((record): NodeDraft => {
    const { fields, input: value, patternOptions, metadata } = record.payload!;
    return {
      description: fields.description,
      input: value,
      pattern: fields.pattern,
      patternOptions,
      capabilities: fields.capabilities,
      priority: fields.priority,
      timeoutMs: fields.timeoutMs,
      retry: fields.retry,
      strategy: fields.strategy,
      metadata,
      expand: (fields.expand as ExpandSpec | null | undefined) ?? null,
      complexity: fields.complexity as Complexity,
    };
  });
  return buildPlan(records, drafts, header!.source);
}

function checkConsistency(records: readonly TreeRecord<PlanPayload>[], issues: SpecIssue[]): void {
  const heights = subtreeHeights(records);
  // Paths and compensation ids are only comparable where every id up to the root is valid.
  const idsValid = new Uint8Array(records.length);
  records.forEach((record, at) => {
    const own = record.kind === "compensate" || record.explicitId !== undefined;
    idsValid[at] = own && (record.parent < 0 || idsValid[record.parent] === 1) ? 1 : 0;
    if (record.payload === null) return;
    const fields = record.payload.fields;
    const at_ = (key: string, message: string) => issues.push({ path: keyPath(record.path, key), message });
    if (idsValid[at] === 1 && record.kind === "compensate" && fields.id !== record.id) {
      at_("id", `must be "${record.id}" (the id of its task + ":compensate")`);
    }
    if (idsValid[at] === 1 && fields.path !== record.nodePath) {
      at_("path", `is "${fields.path}" but the ids from the root give "${record.nodePath}"`);
    }
    if (fields.depth !== record.depth)
      at_("depth", `is ${fields.depth} but the node is at depth ${record.depth}`);
    const composite = record.children.length > 0;
    if (!composite && fields.pattern !== null && (fields.expand ?? null) === null)
      at_("pattern", "must be null for a leaf (a node without children)");
    if (composite && fields.pattern === null)
      at_("pattern", "a composite node (with children) needs a pattern");
    const least = complexityForHeight(heights[at]!);
    if (COMPLEXITIES.indexOf(fields.complexity as Complexity) < COMPLEXITIES.indexOf(least)) {
      at_(
        "complexity",
        `is "${fields.complexity}" but the subtree is ${heights[at]} levels tall (at least "${least}")`,
      );
    }
  });
}

function checkHeader(
  header: { taskId: string; nodeCount: number; leafCount: number; depth: number },
  records: readonly TreeRecord<PlanPayload>[],
  issues: SpecIssue[],
): void {
  const tasks = records.filter((record) => record.kind === "task");
  const leaves = tasks.filter((record) => record.children.length === 0).length;
  const depth = tasks.reduce((deepest, record) => Math.max(deepest, record.depth), 0);
  const root = records[0]!;
  if (root.explicitId !== undefined && header.taskId !== root.id) {
    issues.push({ path: "taskId", message: `is "${header.taskId}" but the root's id is "${root.id}"` });
  }
  const count = (key: string, given: number, actual: number, what: string) => {
    if (given !== actual)
      issues.push({ path: key, message: `is ${given} but the tree has ${actual} ${what}` });
  };
  count("nodeCount", header.nodeCount, tasks.length, "nodes (compensations excluded)");
  count("leafCount", header.leafCount, leaves, "leaves");
  count("depth", header.depth, depth, "as its deepest depth");
}

/**
 * A plan this module built is frozen and was checked when it was built: only the caller's
 * patterns remain to check (limits were checked by `measureTree`).
 */
function checkBuiltPlan(
  plan: Plan,
  patternSet: ReadonlySet<string> | null,
  known: readonly string[] | null,
): Plan {
  if (patternSet === null) return plan;
  const unknown: (SpecIssue & { readonly pattern: string })[] = [];
  const stack: Array<{ node: Plan["root"]; path: string }> = [{ node: plan.root, path: "root" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node.pattern !== null && !patternSet.has(node.pattern)) {
      unknown.push({
        path: keyPath(path, "pattern"),
        message: `unknown pattern "${node.pattern}"`,
        pattern: node.pattern,
      });
    }
    for (let i = node.children.length - 1; i >= 0; i--) {
      if (node.children[i]!.children.length > 0)
        stack.push({ node: node.children[i]!, path: `${path}.children[${i}]` });
    }
  }
  if (unknown.length > 0) throw unknownPattern("plan", unknown, known ?? []);
  return plan;
}
