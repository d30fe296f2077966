import type { SpecIssue } from "./issues.js";
import { isPlainObject, readJsonField } from "./json-value.js";
import type { ResolvedPlanOptions } from "./options.js";
import { tooDeep } from "./plan-errors.js";
import { type Pending, pushSubtasks } from "./pending.js";
import { keyPath } from "./paths.js";
import { checkId, type PlanNodeFields, parseWith, schemas } from "./schema.js";
import { addRecord, type TreeRecord } from "./tree.js";

/** A PlanNode that passed its own checks, with its JSON fields copied and frozen. @internal */
export interface PlanPayload {
  readonly fields: PlanNodeFields;
  readonly input: unknown;
  readonly patternOptions: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

const UNTYPED_KEYS = ["input", "patternOptions", "metadata", "compensate"] as const;

/**
 * Reads a raw PlanNode tree into pre-ordered records, checking each node on its own.
 * Iterative; expects the tree to have been measured by `measureTree` already.
 *
 * @internal
 */
export function readPlanTree(
  root: unknown,
  options: ResolvedPlanOptions,
  issues: SpecIssue[],
): TreeRecord<PlanPayload>[] {
  const records: TreeRecord<PlanPayload>[] = [];
  const stack: Pending[] = [{ value: root, depth: 0, path: "root", parent: -1, index: -1, kind: "task" }];
  while (stack.length > 0) {
    const { value, depth, path, parent, index, kind } = stack.pop()!;
    if (depth > options.maxDepth) throw tooDeep("plan", options.maxDepth, depth, path);
    if (!isPlainObject(value)) {
      issues.push({ path, message: "must be a plan node { id, path, description, … }" });
      continue;
    }
    for (const key of UNTYPED_KEYS) {
      if (!Object.hasOwn(value, key) || value[key] === undefined) {
        issues.push({ path: keyPath(path, key), message: "is required" });
      }
    }
    const fields = parseWith(schemas().planNode, value, path, issues);
    const input = readJsonField(value.input, path, "input", issues, { object: false });
    const patternOptions = readJsonField(value.patternOptions, path, "patternOptions", issues, {
      object: true,
    });
    const metadata = readJsonField(value.metadata, path, "metadata", issues, { object: true });
    const children: readonly unknown[] = Array.isArray(value.children) ? value.children : [];
    let explicitId: string | undefined;
    if (kind === "task" && typeof value.id === "string") {
      const problem = checkId(value.id);
      if (problem === null) explicitId = value.id;
      else issues.push({ path: keyPath(path, "id"), message: problem });
    }
    const dependsOn = Array.isArray(value.dependsOn)
      ? value.dependsOn.filter((d): d is string => typeof d === "string" && d !== "")
      : [];
    if (kind === "compensate") {
      if (children.length > 0) {
        issues.push({
          path: keyPath(path, "children"),
          message: "a compensating node must be a leaf (no children)",
        });
      }
      if (isPlainObject(value.compensate)) {
        issues.push({
          path: keyPath(path, "compensate"),
          message: "a compensating node cannot have its own compensation",
        });
      }
      if (dependsOn.length > 0) {
        issues.push({
          path: keyPath(path, "dependsOn"),
          message: "a compensating node has no siblings to depend on",
        });
      }
    }
    const at = addRecord(records, {
      path,
      depth,
      parent,
      index,
      kind,
      explicitId,
      dependsOn: kind === "task" ? dependsOn : [],
      payload: fields
        ? {
            fields,
            input: input ?? null,
            patternOptions: patternOptions as PlanPayload["patternOptions"],
            metadata: metadata as PlanPayload["metadata"],
          }
        : null,
    });
    if (kind === "compensate") continue;
    pushSubtasks(stack, at, depth, path, value.compensate, children);
  }
  return records;
}
