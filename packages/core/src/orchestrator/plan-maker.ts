import type { EchelonContainer } from "../di/container.js";
import { DECOMPOSER } from "../di/tokens.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Plan, TaskSpec } from "../model/task.js";
import type { Pattern, PatternChild } from "../patterns/pattern.js";
import { recommendFromShape } from "../pattern-executor/index.js";
import { specToPlan, validatePlan } from "../plan/index.js";
import { throwIfAborted } from "../util/abort.js";

/** What {@link makePlan} needs. Internal. */
export interface PlanMakerContext {
  readonly container: EchelonContainer;
  readonly maxDepth: number;
  readonly patterns: ReadonlyMap<string, Pattern>;
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
 * Picks a pattern for a composite spec that names none, the same way `PatternExecutor` does:
 * each pattern's `recommend` score (or the built-in shape score), documented tie-breaks.
 *
 * @throws EchelonError `ECHELON_PATTERN_UNKNOWN` when no pattern is registered
 */
export function recommendPattern(patterns: ReadonlyMap<string, Pattern>, spec: TaskSpec): string {
  const children = specChildren(spec);
  const best = recommendFromShape([...patterns.values()], children, Math.max(2, children.length));
  if (best === undefined) {
    throw new EchelonError(
      CoreErrorCode.UNKNOWN_PATTERN,
      `Task "${spec.id ?? spec.description}" has subtasks but no pattern plugin is installed. Install one (e.g. @echelon/patterns-fork-join) or use the echelon package.`,
      { details: { task: spec.id ?? spec.description } },
    );
  }
  return best;
}

/**
 * Turns the task into a validated plan: a Plan is checked as it is; with a `DECOMPOSER`
 * bound, text and specs go through it (and its plan is checked); without one, a spec becomes a
 * plan as written and a text a single atomic task.
 *
 * @throws EchelonError `ECHELON_SPEC_*`, `ECHELON_PATTERN_UNKNOWN`, `ECHELON_CANCELLED`
 */
export async function makePlan(task: string | TaskSpec | Plan, context: PlanMakerContext): Promise<Plan> {
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
    const plan = await decomposer.decompose(task, {
      maxDepth: context.maxDepth,
      patterns,
      ...(context.pattern !== undefined ? { pattern: context.pattern } : {}),
      ...(context.signal !== undefined ? { signal: context.signal } : {}),
      ...(context.capabilities !== undefined ? { capabilities: context.capabilities } : {}),
      ...(context.orchestrationId !== undefined ? { orchestrationId: context.orchestrationId } : {}),
    });
    throwIfAborted(context.signal, "The orchestration");
    return validatePlan(plan, options);
  }
  if (typeof task === "string") {
    if (task.trim().length === 0) {
      throw new EchelonError(CoreErrorCode.INVALID_SPEC, "The task text is empty. Describe the work to do.", {
        details: { issues: [{ path: "description", message: "must not be empty" }] },
      });
    }
    return specToPlan({ description: task }, { ...options, source: "text" });
  }
  return specToPlan(task, {
    ...options,
    choosePattern: (node) => context.pattern ?? recommendPattern(context.patterns, node),
  });
}
