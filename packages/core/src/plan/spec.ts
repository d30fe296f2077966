import { EchelonError } from "../errors/echelon-error.js";
import type { Plan, TaskSpec } from "../model/task.js";
import { buildPlan, EMPTY_OBJECT, type NodeDraft } from "./build.js";
import type { SpecIssue } from "./issues.js";
import { measureTree } from "./measure.js";
import { normalizedSpecs } from "./normalize-spec.js";
import { type PlanBuildOptions, type ResolvedPlanOptions, resolvePlanOptions } from "./options.js";
import { dependencyCycle, invalidOption, specInvalid, unknownPattern } from "./plan-errors.js";
import { keyPath } from "./paths.js";
import { sampleOfTemplate } from "./expand-template.js";
import { readSpec, type SpecPayload } from "./read-spec.js";
import { findCycle, linkSiblings, type TreeRecord } from "./tree.js";

interface Analysis {
  readonly options: ResolvedPlanOptions;
  readonly records: readonly TreeRecord<SpecPayload>[];
  /** The normalised spec of a record (made on demand). */
  readonly specAt: (at: number) => TaskSpec;
}

function analyseSpec(input: unknown, buildOptions: PlanBuildOptions): Analysis {
  const options = resolvePlanOptions(buildOptions);
  measureTree(input, "", "task spec", options.maxDepth, options.maxNodes);
  const issues: SpecIssue[] = [];
  const records = readSpec(input, options, issues);
  linkSiblings(records, issues);
  checkTemplates(records, options, issues);
  if (issues.length > 0) throw specInvalid("task spec", issues);
  const found = findCycle(records);
  if (found !== null) {
    const parent = records[found.parent]!;
    throw dependencyCycle("task spec", found.cycle, parent.path, parent.nodePath);
  }
  return { options, records, specAt: normalizedSpecs(records) };
}

/**
 * Checks every `expand.each` template's shape at plan time, as a spec (placeholders stand in as
 * text), so a broken template is refused before the run, with its path.
 */
function checkTemplates(
  records: readonly TreeRecord<SpecPayload>[],
  options: ResolvedPlanOptions,
  issues: SpecIssue[],
) {
  for (const record of records) {
    const each = record.payload?.expand?.each;
    if (each === undefined) continue;
    const base = keyPath(keyPath(record.path, "expand"), "each");
    try {
      validateTaskSpec(sampleOfTemplate(each), {
        maxDepth: Math.max(0, options.maxDepth - record.depth - 1),
        ...(options.patterns !== null ? { patterns: options.patterns } : {}),
      });
    } catch (error) {
      const found =
        error instanceof EchelonError ? (error.details.issues as SpecIssue[] | undefined) : undefined;
      if (found === undefined) {
        issues.push({ path: base, message: error instanceof Error ? error.message : String(error) });
        continue;
      }
      for (const issue of found)
        issues.push({ path: issue.path === "" ? base : `${base}.${issue.path}`, message: issue.message });
    }
  }
}

type PatternUse = SpecIssue & { readonly pattern: string };

function checkPatterns(options: ResolvedPlanOptions, uses: readonly PatternUse[]): void {
  if (options.patternSet === null) return;
  const unknown = uses.filter((use) => !options.patternSet!.has(use.pattern));
  if (unknown.length > 0) throw unknownPattern("task spec", unknown, options.patterns!);
}

/**
 * Validates a TaskSpec tree (from code, JSON or YAML) and returns a frozen, normalised copy:
 * ids are filled in (the root's defaults to `"root"`, a child's to its 1-based position such
 * as `"2"`, or `"2-2"`, `"2-3"`, … when a sibling already has that id explicitly), JSON fields are
 * deep-copied (a Date becomes its ISO string, `-0` becomes `0`). A compensation keeps no id: its
 * plan id is always `<task id>:compensate`. Every issue is reported at once.
 *
 * @param input - the candidate spec, of any type
 * @param options - `maxDepth` and, optionally, the registered `patterns`
 * @returns the validated spec, deeply frozen
 * @throws EchelonError `ECHELON_SPEC_INVALID` with `details.issues` (every `{ path, message }`);
 *   `ECHELON_SPEC_TOO_DEEP` with `details { maxDepth, depth, path }`; `ECHELON_SPEC_DEPENDENCY_CYCLE`
 *   with `details.cycle`; `ECHELON_PATTERN_UNKNOWN` when a pattern is not in `options.patterns`;
 *   `ECHELON_CONFIG_INVALID` for bad options
 * @example
 * ```ts
 * const spec = validateTaskSpec(JSON.parse(text), { maxDepth: 3 });
 * ```
 */
export function validateTaskSpec(input: unknown, options: PlanBuildOptions): TaskSpec {
  const { options: resolved, records, specAt } = analyseSpec(input, options);
  const uses: PatternUse[] = [];
  for (const record of records) {
    const pattern = record.payload!.fields.pattern;
    if (pattern !== undefined) {
      uses.push({ path: keyPath(record.path, "pattern"), message: `unknown pattern "${pattern}"`, pattern });
    }
  }
  checkPatterns(resolved, uses);
  return specAt(0);
}

/**
 * Validates a TaskSpec tree and turns it into a frozen {@link Plan}. Composite tasks without a
 * `pattern` get `options.choosePattern(spec, depth)` or else `options.defaultPattern`
 * (`"fork-join"`); every node gets the complexity of its subtree height and the model's defaults.
 *
 * @param input - the candidate spec, of any type
 * @param options - `maxDepth`, registered `patterns`, pattern choice and `source`
 * @returns the plan, deeply frozen
 * @throws EchelonError `ECHELON_SPEC_INVALID`, `ECHELON_SPEC_TOO_DEEP`, `ECHELON_SPEC_DEPENDENCY_CYCLE`,
 *   `ECHELON_PATTERN_UNKNOWN` (see {@link validateTaskSpec}); `ECHELON_CONFIG_INVALID` for bad
 *   options or when `choosePattern` returns no pattern name or throws something other than an
 *   EchelonError (an EchelonError it throws is rethrown as it is)
 * @example
 * ```ts
 * const plan = specToPlan(
 *   { description: "report", children: [{ id: "a", description: "fetch" }, { description: "sum", dependsOn: ["a"] }] },
 *   { maxDepth: 2, patterns: ["fork-join"] },
 * );
 * plan.root.children[1]!.path; // "root/2"
 * ```
 */
export function specToPlan(input: unknown, options: PlanBuildOptions): Plan {
  const { options: resolved, records, specAt } = analyseSpec(input, options);
  const uses: PatternUse[] = [];
  const drafts = records.map((record, at): NodeDraft => {
    const { fields, input: value, patternOptions, metadata, expand } = record.payload!;
    let pattern: string | null = null;
    if (record.children.length > 0 || (expand !== undefined && fields.pattern !== undefined)) {
      pattern = fields.pattern ?? choosePattern(resolved, specAt(at), record.depth);
      const chosen = fields.pattern === undefined ? ' (chosen for a task without "pattern")' : "";
      uses.push({
        path: keyPath(record.path, "pattern"),
        message: `unknown pattern "${pattern}"${chosen}`,
        pattern,
      });
    }
    return {
      description: fields.description,
      input: value ?? null,
      pattern,
      patternOptions: patternOptions ?? EMPTY_OBJECT,
      capabilities: fields.capabilities ?? [],
      priority: fields.priority ?? 0,
      timeoutMs: fields.timeoutMs ?? null,
      retry: fields.retry ?? null,
      strategy: fields.strategy ?? null,
      metadata: metadata ?? EMPTY_OBJECT,
      expand: expand ?? null,
      complexity: null,
    };
  });
  checkPatterns(resolved, uses);
  return buildPlan(records, drafts, resolved.source);
}

function choosePattern(options: ResolvedPlanOptions, spec: TaskSpec, depth: number): string {
  if (options.choosePattern === null) return options.defaultPattern;
  let chosen: unknown;
  try {
    chosen = options.choosePattern(spec, depth);
  } catch (error) {
    if (error instanceof EchelonError) throw error;
    throw invalidOption("choosePattern", `threw for the task "${spec.id ?? ""}": ${String(error)}`, error);
  }
  if (typeof chosen !== "string" || chosen === "") {
    throw invalidOption("choosePattern", `must return a non-empty pattern name; got ${String(chosen)}`);
  }
  return chosen;
}
