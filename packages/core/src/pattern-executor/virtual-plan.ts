import type { Agent } from "../agents/agent.js";
import type { Plan, TaskSlice, TaskSpec } from "../model/task.js";
import type { SliceLayout } from "../patterns/pattern.js";
import { specToPlan } from "../plan/index.js";

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

function sliceSpec(slice: TaskSlice): TaskSpec {
  const metadata = slice.metadata ?? {};
  const description = typeof metadata.description === "string" ? metadata.description : slice.sliceId;
  const capabilities = Array.isArray(metadata.capabilities) ? (metadata.capabilities as string[]) : [];
  const priority = typeof metadata.priority === "number" ? metadata.priority : 0;
  return {
    id: slice.sliceId,
    description,
    input: slice.content,
    capabilities,
    priority,
    dependsOn: slice.dependencies ?? [],
    metadata,
    ...(metadata.compensate !== undefined
      ? {
          compensate: {
            id: `${slice.sliceId}-compensate`,
            description: `compensate ${slice.sliceId}`,
            input: metadata.compensate,
            capabilities,
          },
        }
      : {}),
  };
}

/**
 * The plan `PatternExecutor` runs for a pattern on slices: one composite root coordinated by
 * the pattern. With the `slices` layout each slice is a child (content → input, dependencies →
 * dependsOn, `metadata.capabilities` / `priority` / `description` / `compensate` honoured);
 * with `agent-stages` each agent is a child stage pinned to that agent, and the slices are the
 * root's input (one slice: its content; several: `{ stream: true, items: [contents] }`).
 *
 * @throws EchelonError `ECHELON_SPEC_INVALID` when a slice is not plan material (non-JSON content, bad ids)
 */
export function virtualPlan(source: VirtualPlanInput): Plan {
  const stages = source.layout === "agent-stages";
  const children: TaskSpec[] = stages
    ? source.agents.map((agent, i) => ({
        id: `stage-${i + 1}`,
        description: `stage ${i + 1} on ${agent.id}`,
        capabilities: [stageCapability(i)],
      }))
    : source.slices.map(sliceSpec);
  const input = stages
    ? source.slices.length === 1
      ? source.slices[0]!.content
      : { stream: true, items: source.slices.map((s) => s.content) }
    : source.input;
  return specToPlan(
    {
      id: SLICES_ROOT,
      description: `${source.pattern} over ${source.slices.length} slice(s)`,
      pattern: source.pattern,
      patternOptions: source.patternOptions,
      ...(input !== undefined ? { input } : {}),
      children,
    },
    { maxDepth: 1, patterns: [source.pattern], source: "slices" },
  );
}
