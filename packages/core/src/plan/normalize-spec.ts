import type { TaskSpec } from "../model/task.js";
import type { SpecPayload } from "./read-spec.js";
import type { TreeRecord } from "./tree.js";

/** One record's normalised TaskSpec, from its payload and its children's (and compensation's) specs. */
function normalizeOne(record: TreeRecord<SpecPayload>, specs: readonly (TaskSpec | undefined)[]): TaskSpec {
  const { fields, input, patternOptions, metadata, expand } = record.payload!;
  const spec: Record<string, unknown> = {};
  if (record.kind === "task") spec.id = record.id;
  spec.description = fields.description;
  if (input !== undefined) spec.input = input;
  if (fields.capabilities !== undefined) spec.capabilities = Object.freeze([...fields.capabilities]);
  if (fields.priority !== undefined) spec.priority = fields.priority;
  if (fields.dependsOn !== undefined) spec.dependsOn = Object.freeze([...fields.dependsOn]);
  if (fields.pattern !== undefined) spec.pattern = fields.pattern;
  if (patternOptions !== undefined) spec.patternOptions = patternOptions;
  if (fields.children !== undefined) spec.children = Object.freeze(record.children.map((c) => specs[c]!));
  if (expand !== undefined) spec.expand = expand;
  if (record.compensate >= 0) spec.compensate = specs[record.compensate]!;
  if (fields.timeoutMs !== undefined) spec.timeoutMs = fields.timeoutMs;
  if (fields.retry !== undefined) spec.retry = Object.freeze({ ...fields.retry });
  if (fields.strategy !== undefined) spec.strategy = fields.strategy;
  if (metadata !== undefined) spec.metadata = metadata;
  return Object.freeze(spec) as unknown as TaskSpec;
}

/**
 * Frozen, normalised TaskSpecs of validated records, made on demand (a plan built from a spec
 * needs them only for the nodes whose pattern is chosen): ids filled in (a compensation keeps
 * none: its id is derived), JSON fields copied, absent fields left out. Each subtree is
 * normalised once, iteratively (no recursion).
 *
 * @returns the spec of the record at an index
 * @internal
 */
export function normalizedSpecs(records: readonly TreeRecord<SpecPayload>[]): (at: number) => TaskSpec {
  const specs = new Array<TaskSpec | undefined>(records.length);
  return (at) => {
    const stack = [at];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (specs[top] !== undefined) {
        stack.pop();
        continue;
      }
      const record = records[top]!;
      const before = stack.length;
      if (record.compensate >= 0 && specs[record.compensate] === undefined) stack.push(record.compensate);
      for (const c of record.children) if (specs[c] === undefined) stack.push(c);
      if (stack.length > before) continue;
      specs[top] = normalizeOne(record, specs);
      stack.pop();
    }
    return specs[at]!;
  };
}
