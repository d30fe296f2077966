import type { ExpandSpec } from "../model/task.js";
import { checkExpandRules } from "./expand-template.js";
import type { SpecIssue } from "./issues.js";
import { isPlainObject, readJsonField } from "./json-value.js";
import type { ResolvedPlanOptions } from "./options.js";
import { tooDeep } from "./plan-errors.js";
import { type Pending, pushSubtasks } from "./pending.js";
import { keyPath } from "./paths.js";
import { quickSpecNode } from "./quick-spec-node.js";
import { checkId, parseWith, type SpecNodeFields, schemas } from "./schema.js";
import { addRecord, type TreeRecord } from "./tree.js";

/** A TaskSpec node that passed its own checks, with its JSON fields copied and frozen. @internal */
export interface SpecPayload {
  readonly fields: SpecNodeFields;
  readonly input: unknown;
  readonly patternOptions: Readonly<Record<string, unknown>> | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /** The `expand` field, copied and frozen. */
  readonly expand: ExpandSpec | undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}

function describeNonObject(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null || value === undefined) return String(value);
  return `a ${typeof value}`;
}

/**
 * Reads a raw TaskSpec tree into pre-ordered records, checking every node on its own (schema,
 * unknown and forbidden keys, JSON fields, compensation rules). Iterative. Expects the tree to
 * have been measured by `measureTree` already.
 *
 * @internal
 */
export function readSpec(
  input: unknown,
  options: ResolvedPlanOptions,
  issues: SpecIssue[],
): TreeRecord<SpecPayload>[] {
  const records: TreeRecord<SpecPayload>[] = [];
  const stack: Pending[] = [{ value: input, depth: 0, path: "", parent: -1, index: -1, kind: "task" }];
  while (stack.length > 0) {
    const { value, depth, path, parent, index, kind } = stack.pop()!;
    if (depth > options.maxDepth) throw tooDeep("task spec", options.maxDepth, depth, path);
    if (!isPlainObject(value)) {
      issues.push({
        path,
        message: `must be a task object { description, … }; got ${describeNonObject(value)}`,
      });
      continue;
    }
    const fields = quickSpecNode(value) ?? parseWith(schemas().specNode, value, path, issues);
    const input = readJsonField(value.input, path, "input", issues, { object: false });
    const patternOptions = readJsonField(value.patternOptions, path, "patternOptions", issues, {
      object: true,
    });
    const metadata = readJsonField(value.metadata, path, "metadata", issues, { object: true });
    const children: readonly unknown[] = fields
      ? (fields.children ?? [])
      : Array.isArray(value.children)
        ? value.children
        : [];
    // Parsed fields hold a checked id; a node with issues keeps its id only when that id is valid.
    const explicitId = fields
      ? fields.id
      : typeof value.id === "string" && checkId(value.id) === null
        ? value.id
        : undefined;
    const dependsOn = fields ? (fields.dependsOn ?? []) : stringsOf(value.dependsOn);
    const compensate = fields ? fields.compensate : value.compensate;
    checkExpandRules(value, path, children.length, issues);
    const expand = readJsonField(value.expand, path, "expand", issues, { object: true });
    if (children.length === 0 && value.pattern !== undefined && value.expand === undefined) {
      issues.push({
        path: keyPath(path, "pattern"),
        message: 'a task without children takes no pattern; add children or remove "pattern"',
      });
    }
    if (kind === "compensate") checkCompensation(value, path, issues);
    const at = addRecord(records, {
      path,
      depth,
      parent,
      index,
      kind,
      explicitId: kind === "task" ? explicitId : undefined,
      dependsOn: kind === "task" ? dependsOn : [],
      payload: fields
        ? {
            fields,
            input,
            patternOptions: patternOptions as SpecPayload["patternOptions"],
            metadata: metadata as SpecPayload["metadata"],
            expand: expand as SpecPayload["expand"],
          }
        : null,
    });
    if (kind === "compensate") continue;
    pushSubtasks(stack, at, depth, path, compensate, children);
  }
  return records;
}

function checkCompensation(value: Record<string, unknown>, path: string, issues: SpecIssue[]): void {
  const rule = (key: string, message: string) => issues.push({ path: keyPath(path, key), message });
  if (value.id !== undefined) {
    rule("id", 'a compensating task takes its id from its task ("<id>:compensate"); remove "id"');
  }
  if (Array.isArray(value.children) && value.children.length > 0) {
    rule("children", "a compensating task must be a leaf (no children)");
  }
  if (value.compensate !== undefined)
    rule("compensate", "a compensating task cannot have its own compensation");
  if (Array.isArray(value.dependsOn) && value.dependsOn.length > 0) {
    rule("dependsOn", "a compensating task has no siblings to depend on");
  }
}
