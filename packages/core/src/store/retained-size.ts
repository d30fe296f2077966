import type { EchelonEvent } from "../events/event-map.js";
import type { Plan, PlanNode } from "../model/task.js";
import {
  estimateJsonBytes,
  OBJECT_HEADER_BYTES,
  SLOT_BYTES,
  STRING_HEADER_BYTES,
} from "../util/estimate-bytes.js";

/*
 * Estimated sizes of what a finished run keeps alive: its journaled events (memory store) and
 * its plan (memory store and the orchestrator's registry of finished runs). Each is computed
 * once, when the value is recorded, never on reads.
 */

/**
 * Bytes of one journaled event without its payload's data: the object with its base fields and
 * payload slots, and its slot in the run's list of events.
 */
export const EVENT_BASE_BYTES = OBJECT_HEADER_BYTES + 12 * SLOT_BYTES + SLOT_BYTES;

/**
 * Bytes of one plan node without its strings, input and subtrees: the object with its
 * eighteen fields and its small containers (capabilities, dependsOn, children, options).
 */
export const PLAN_NODE_BYTES = OBJECT_HEADER_BYTES + 18 * SLOT_BYTES + 4 * OBJECT_HEADER_BYTES;

const text = (s: string): number => STRING_HEADER_BYTES + s.length;

const hasKeys = (record: Readonly<Record<string, unknown>>): boolean => {
  for (const _ in record) return true;
  return false;
};

/**
 * Estimated heap bytes of a plan: per node a fixed part, its id, path and description, its
 * input, options and metadata when it has some, and its subtrees (children, compensation).
 *
 * @param plan - a validated plan
 * @returns the estimate, bytes
 * @example
 * ```ts
 * const bytes = estimatePlanBytes(await orchestrator.plan(spec));
 * ```
 */
export function estimatePlanBytes(plan: Plan): number {
  return (
    OBJECT_HEADER_BYTES +
    6 * SLOT_BYTES +
    text(plan.taskId) +
    text(plan.source) +
    estimateNodesBytes([plan.root])
  );
}

/** Estimated heap bytes of plan nodes and their subtrees (see {@link estimatePlanBytes}). */
function estimateNodesBytes(nodes: readonly PlanNode[]): number {
  let bytes = 0;
  const stack: PlanNode[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    bytes += PLAN_NODE_BYTES + text(node.id) + text(node.path) + text(node.description);
    const input = node.input;
    if (input !== null && input !== undefined && typeof input !== "boolean")
      bytes += estimateJsonBytes(input);
    if (hasKeys(node.patternOptions)) bytes += estimateJsonBytes(node.patternOptions);
    if (hasKeys(node.metadata)) bytes += estimateJsonBytes(node.metadata);
    if (node.expand !== null) bytes += estimateJsonBytes(node.expand);
    bytes += SLOT_BYTES * (node.capabilities.length + node.dependsOn.length + node.children.length);
    for (let i = 0; i < node.children.length; i++) stack.push(node.children[i]!);
    if (node.compensate !== null) stack.push(node.compensate);
  }
  return bytes;
}

/**
 * Estimated heap bytes a journal keeps for one event: the envelope, plus the data it carries
 * (an output, the plan, the result, an error, children made by an expansion). Events that
 * plugins add by module augmentation are walked whole.
 *
 * @param event - the event
 * @returns the estimate, bytes
 * @example
 * ```ts
 * let journalBytes = 0;
 * orchestrator.events.onAny((event) => { journalBytes += estimateEventBytes(event); });
 * ```
 */
export function estimateEventBytes(event: EchelonEvent): number {
  switch (event.type) {
    case "task:queued":
    case "task:started":
    case "task:progressed":
    case "pattern:started":
    case "pattern:completed":
    case "orchestration:paused":
    case "orchestration:resumed":
    case "orchestration:recovered":
    case "agent:spawned":
    case "agent:retired":
      return EVENT_BASE_BYTES;
    case "task:completed":
    case "task:compensated":
      return EVENT_BASE_BYTES + estimateJsonBytes(event.output);
    case "task:failed":
    case "task:retrying":
    case "pattern:failed":
      return EVENT_BASE_BYTES + estimateJsonBytes(event.error);
    case "task:cancelled":
    case "task:skipped":
    case "orchestration:cancelling":
      return EVENT_BASE_BYTES + text(event.reason);
    case "orchestration:started":
      return EVENT_BASE_BYTES + estimatePlanBytes(event.plan);
    case "orchestration:completed":
    case "orchestration:failed":
    case "orchestration:cancelled":
      return EVENT_BASE_BYTES + estimateJsonBytes(event.result);
    case "plan:expanded":
      return EVENT_BASE_BYTES + estimateNodesBytes(event.children) + estimateJsonBytes(event.patternOptions);
    default:
      return EVENT_BASE_BYTES + estimateJsonBytes(event);
  }
}
