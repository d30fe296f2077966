import type { TaskSpec } from "../model/task.js";
import type { SpecPayload } from "./read-spec.js";
import type { TreeRecord } from "./tree.js";

/**
 * Builds frozen, normalised TaskSpecs bottom-up from validated records: ids filled in (a
 * compensation keeps none: its id is derived), JSON fields copied, absent fields left out.
 *
 * @returns one TaskSpec per record, index-aligned
 * @internal
 */
export function normalizeSpecs(records: readonly TreeRecord<SpecPayload>[]): TaskSpec[] {
  const specs = new Array<TaskSpec>(records.length);
  for (let at = records.length - 1; at >= 0; at--) {
    const record = records[at]!;
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
    specs[at] = Object.freeze(spec) as unknown as TaskSpec;
  }
  return specs;
}
