import type { Agent } from "../agents/agent.js";
import { complexityForHeight } from "../plan/complexity.js";
import type { Plan, PlanNode, TaskSlice } from "../model/task.js";
import type { SliceLayout } from "../patterns/pattern.js";
import { NodePath } from "../run-state/node-path.js";

/** Id of the virtual root node a `PatternExecutor` run coordinates. */
export const SLICES_ROOT = "slices";

/** The capability that pins a stage to the agent at `index` (the `agent-stages` layout). */
export function stageCapability(index: number): string {
  return `@agent:${index}`;
}

/** What a virtual plan is built from. */
export interface VirtualPlanInput {
  readonly pattern: string;
  readonly layout: SliceLayout;
  readonly slices: readonly TaskSlice[];
  readonly agents: readonly Agent[];
  readonly patternOptions: Readonly<Record<string, unknown>>;
  readonly input: unknown;
}

const NONE: readonly never[] = Object.freeze([]);
const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

interface LeafFields {
  readonly id: string;
  readonly path: string;
  readonly description: string;
  readonly input: unknown;
  readonly capabilities: readonly string[];
  readonly priority?: number;
  readonly dependsOn?: readonly string[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly compensate?: PlanNode | null;
}

function leaf(f: LeafFields): PlanNode {
  return Object.freeze({
    id: f.id,
    path: f.path,
    description: f.description,
    input: f.input,
    depth: 1,
    complexity: complexityForHeight(0),
    pattern: null,
    patternOptions: EMPTY,
    capabilities: f.capabilities,
    priority: f.priority ?? 0,
    dependsOn: f.dependsOn ?? NONE,
    children: NONE,
    compensate: f.compensate ?? null,
    timeoutMs: null,
    retry: null,
    strategy: null,
    metadata: f.metadata ?? EMPTY,
    expand: null,
  });
}

function sliceNode(slice: TaskSlice): PlanNode {
  const metadata = slice.metadata ?? EMPTY;
  const capabilities = Array.isArray(metadata.capabilities) ? (metadata.capabilities as string[]) : NONE;
  const path = NodePath.child(SLICES_ROOT, slice.sliceId);
  return leaf({
    id: slice.sliceId,
    path,
    description: typeof metadata.description === "string" ? metadata.description : slice.sliceId,
    input: slice.content,
    capabilities,
    priority: typeof metadata.priority === "number" ? metadata.priority : 0,
    dependsOn: slice.dependencies ?? NONE,
    metadata,
    compensate:
      metadata.compensate === undefined
        ? null
        : leaf({
            id: `${slice.sliceId}:compensate`,
            path: NodePath.compensation(path),
            description: `compensate ${slice.sliceId}`,
            input: metadata.compensate,
            capabilities,
          }),
  });
}

/**
 * The plan `PatternExecutor` runs for a pattern on slices: one composite root coordinated by
 * the pattern. With the `slices` layout each slice is a child (content → input, dependencies →
 * dependsOn, `metadata.capabilities` / `priority` / `description` / `compensate` honoured);
 * with `agent-stages` each agent is a child stage pinned to that agent, and the slices are the
 * root's input (one slice: its content; several: `{ stream: true, items: [contents] }`).
 *
 * Slices are the caller's data, handed to agents as they are: the plan is built directly (the
 * slice checks ran before), not validated as a spec, and may have no child at all.
 */
export function virtualPlan(source: VirtualPlanInput): Plan {
  const stages = source.layout === "agent-stages";
  const children: PlanNode[] = stages
    ? source.agents.map((agent, i) =>
        leaf({
          id: `stage-${i + 1}`,
          path: NodePath.child(SLICES_ROOT, `stage-${i + 1}`),
          description: `stage ${i + 1} on ${agent.id}`,
          input: null,
          capabilities: Object.freeze([stageCapability(i)]),
        }),
      )
    : source.slices.map(sliceNode);
  const input = stages
    ? source.slices.length === 1
      ? source.slices[0]!.content
      : { stream: true, items: source.slices.map((s) => s.content) }
    : source.input;
  const root: PlanNode = Object.freeze({
    id: SLICES_ROOT,
    path: SLICES_ROOT,
    description: `${source.pattern} over ${source.slices.length} slice(s)`,
    input,
    depth: 0,
    complexity: complexityForHeight(1),
    pattern: source.pattern,
    patternOptions: source.patternOptions,
    capabilities: NONE,
    priority: 0,
    dependsOn: NONE,
    children: Object.freeze(children),
    compensate: null,
    timeoutMs: null,
    retry: null,
    strategy: null,
    metadata: EMPTY,
    expand: null,
  });
  return Object.freeze({
    taskId: SLICES_ROOT,
    root,
    nodeCount: 1 + children.length,
    leafCount: children.length,
    depth: children.length > 0 ? 1 : 0,
    source: "slices",
  });
}
