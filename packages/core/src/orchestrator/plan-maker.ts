import type { EchelonContainer } from "../di/container.js";
import { DECOMPOSER } from "../di/tokens.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Plan, TaskSpec } from "../model/task.js";
import type { Pattern, PatternChild } from "../patterns/pattern.js";
import { specToPlan, validatePlan } from "../plan/index.js";
import { hookFailed, type Registered } from "../plugins/registrations.js";
import { throwIfAborted } from "../util/abort.js";
import { recommendPattern } from "./recommend.js";

/** What {@link makePlan} needs. Internal. */
export interface PlanMakerContext {
  readonly container: EchelonContainer;
  readonly maxDepth: number;
  readonly patterns: ReadonlyMap<string, Registered<Pattern>>;
  /** Plugin that bound the decomposer, for failure reports. */
  readonly decomposerPlugin: string | null;
  /** Agents available to a node's children (for pattern recommendation). */
  readonly agentCount: (depth: number) => number;
  readonly pattern?: string;
  readonly signal?: AbortSignal;
  /** Id of the orchestration being planned. */
  readonly orchestrationId?: string;
  /** Capabilities the registered agent types offer (handed to the decomposer). */
  readonly capabilities?: readonly string[];
  /** Plans this orchestrator already validated (frozen, so they cannot have changed since). */
  readonly trusted?: WeakSet<Plan>;
}

function isPlan(task: unknown): task is Plan {
  return typeof task === "object" && task !== null && "root" in task && "taskId" in task;
}

function specChildren(spec: TaskSpec): PatternChild[] {
  return (spec.children ?? []).map((c, i) => ({
    id: c.id ?? String(i + 1),
    description: c.description,
    input: c.input ?? null,
    dependsOn: c.dependsOn ?? [],
    capabilities: c.capabilities ?? [],
    priority: c.priority ?? 0,
    composite: (c.children?.length ?? 0) > 0,
    hasCompensation: c.compensate !== undefined,
    metadata: c.metadata ?? {},
  }));
}

/**
 * Turns the task into a validated plan: a Plan is checked as it is; with a `DECOMPOSER`
 * bound, text and specs go through it (and its plan is checked); without one, a spec becomes a
 * plan as written (a composite node naming no pattern gets the one its plugins recommend) and
 * a text a single atomic task.
 *
 * @throws EchelonError `ECHELON_SPEC_*`, `ECHELON_PATTERN_UNKNOWN`, `ECHELON_CANCELLED`, `ECHELON_PLUGIN_HOOK_FAILED`
 */
export async function makePlan(task: string | TaskSpec | Plan, context: PlanMakerContext): Promise<Plan> {
  throwIfAborted(context.signal, "The orchestration");
  const plan = await buildPlan(task, context);
  context.trusted?.add(plan);
  return plan;
}

async function buildPlan(task: string | TaskSpec | Plan, context: PlanMakerContext): Promise<Plan> {
  const patterns = [...context.patterns.keys()];
  const options = { maxDepth: context.maxDepth, patterns };
  if (isPlan(task)) {
    if (context.trusted?.has(task) === true) return task;
    return validatePlan(task, options);
  }
  const decomposer = context.container.tryGet(DECOMPOSER);
  if (decomposer !== undefined) {
    let plan: Plan;
    try {
      plan = await decomposer.decompose(task, {
        maxDepth: context.maxDepth,
        patterns,
        ...(context.pattern !== undefined ? { pattern: context.pattern } : {}),
        ...(context.signal !== undefined ? { signal: context.signal } : {}),
        ...(context.capabilities !== undefined ? { capabilities: context.capabilities } : {}),
        ...(context.orchestrationId !== undefined ? { orchestrationId: context.orchestrationId } : {}),
      });
    } catch (error) {
      if (error instanceof EchelonError) throw error;
      throw hookFailed(context.decomposerPlugin, "decompose", error, { decomposer: decomposer.name });
    }
    throwIfAborted(context.signal, "The orchestration");
    return validatePlan(plan, options);
  }
  if (typeof task === "string") {
    if (task.trim().length === 0) {
      throw new EchelonError(CoreErrorCode.SPEC_INVALID, "The task text is empty. Describe the work to do.", {
        details: { issues: [{ path: "description", message: "must not be empty" }] },
      });
    }
    return specToPlan({ description: task }, { ...options, source: "text" });
  }
  return specToPlan(task, {
    ...options,
    choosePattern: (node, depth) => context.pattern ?? choosePattern(context, node, depth),
  });
}

function choosePattern(context: PlanMakerContext, spec: TaskSpec, depth: number): string {
  const children = specChildren(spec);
  const best = recommendPattern(context.patterns.values(), children, context.agentCount(depth + 1));
  if (best === undefined) {
    throw new EchelonError(
      CoreErrorCode.PATTERN_UNKNOWN,
      `Task "${spec.id ?? spec.description}" has subtasks but no pattern plugin is installed. Install one (e.g. @echelon/patterns-fork-join) or use the echelon package.`,
      { details: { task: spec.id ?? spec.description } },
    );
  }
  return best;
}
