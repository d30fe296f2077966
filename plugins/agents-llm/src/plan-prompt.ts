import type { TaskSpec } from "@echelon/core";
import type { DecomposeOptions } from "@echelon/core/plugin";

/** Extra guidance for the decomposer's prompt. Internal. */
export interface PlanPromptOptions {
  readonly capabilities?: readonly string[];
  readonly instructions?: string;
  /** Levels planned now; deeper subtasks are left to be decomposed when reached. */
  readonly eagerLevels?: number | null;
}

/**
 * The system prompt asking for a TaskSpec in JSON.
 *
 * @internal
 */
export function planSystemPrompt(options: DecomposeOptions, extra: PlanPromptOptions): string {
  const patterns = options.pattern !== undefined ? [options.pattern] : options.patterns;
  const eager = extra.eagerLevels ?? null;
  const lazy = eager !== null && eager < options.maxDepth;
  return [
    "You decompose a task into a plan of subtasks for the Echelon orchestrator.",
    "Answer with one JSON object only (no prose, no code fence): a TaskSpec",
    `{ "id"?: string, "description": string, "input"?: any JSON, "capabilities"?: string[], "dependsOn"?: string[], "pattern"?: string, "children"?: TaskSpec[]${lazy ? ', "expand"?: { "using": "decompose" }' : ""} }.`,
    "Rules:",
    lazy
      ? `- The root is depth 0; plan only ${eager} level${eager === 1 ? "" : "s"} below it now. A task at depth ${eager} that needs splitting gets "expand": { "using": "decompose" } and no children: it is planned when it is reached, with up to ${options.maxDepth - eager} more levels.`
      : `- The root is depth 0; nest at most ${options.maxDepth} levels below it.`,
    `- A task with children must name a pattern, one of: ${patterns.length > 0 ? patterns.join(", ") : "(none: do not use children)"}.`,
    "- Leaves (no children) are the actual work; keep each one concrete and small.",
    '- "id" is unique among siblings: letters, digits, "-" or "_". "dependsOn" lists ids of siblings that must finish first, without cycles.',
    ...(extra.capabilities !== undefined && extra.capabilities.length > 0
      ? [`- Give each leaf the capabilities it needs, from: ${extra.capabilities.join(", ")}.`]
      : []),
    ...(extra.instructions !== undefined ? [extra.instructions] : []),
  ].join("\n");
}

/**
 * The user prompt for a task.
 *
 * @internal
 */
export function planUserPrompt(task: string | TaskSpec): string {
  return typeof task === "string"
    ? `Task: ${task}`
    : `Task (as a spec; keep its fields, fill in children):\n${JSON.stringify(task)}`;
}

/** One problem with the model's plan, as fed back to it. */
export interface PlanIssue {
  /** Where in the model's answer: `children[2].dependsOn[0]`; `""` for the whole answer. */
  readonly path: string;
  /** What is wrong, in a few words (`unknown task "b"`, `the answer is not valid JSON (…)`). */
  readonly message: string;
}

/**
 * The follow-up prompt listing what was wrong.
 *
 * @internal
 */
export function planRetryPrompt(issues: readonly PlanIssue[]): string {
  return [
    "That answer is not a valid plan:",
    ...issues.slice(0, 20).map((i) => `- ${i.path || "(root)"}: ${i.message}`),
    "Answer again with the corrected JSON object only.",
  ].join("\n");
}

/**
 * Reads the JSON object out of a model's answer (tolerating a code fence or prose around it).
 *
 * @returns the parsed value, or the issue that stops it
 * @internal
 */
export function parsePlanAnswer(
  text: string,
): { ok: true; value: unknown } | { ok: false; issue: PlanIssue } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced?.[1] ?? text;
  const start = body.indexOf("{");
  const end = body.lastIndexOf("}");
  if (start < 0 || end < start)
    return { ok: false, issue: { path: "", message: "the answer contains no JSON object" } };
  try {
    return { ok: true, value: JSON.parse(body.slice(start, end + 1)) };
  } catch (error) {
    return {
      ok: false,
      issue: { path: "", message: `the answer is not valid JSON (${(error as Error).message})` },
    };
  }
}

/**
 * Sets `pattern` on every composite node of a parsed spec (the caller's pattern override).
 *
 * @internal
 */
export function forcePattern(value: unknown, pattern: string): unknown {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || Array.isArray(node)) continue;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.children) && record.children.length > 0) {
      record.pattern = pattern;
      stack.push(...record.children);
    }
  }
  return value;
}
