// A namespace import (not `{ z }`) lets the bundler drop the parts of zod core never uses (locales, JSON Schema).
import * as z from "zod";
import { COMPLEXITIES } from "../model/task.js";
import type { SpecIssue } from "./issues.js";
import { FORBIDDEN_KEYS } from "./json-value.js";
import { appendPath } from "./paths.js";

/** Syntax of a task id: no `/` (path separator) or `#` (reserved for invocations). @internal */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Suffix of compensating task ids and paths. @internal */
export const COMPENSATE_SUFFIX = ":compensate";

/** Longest timer Node can arm (2^31 − 1 ms, about 24.8 days). @internal */
export const MAX_TIMER_MS = 2_147_483_647;

type Issue = { readonly input?: unknown };
const typed =
  (expected: string) =>
  (issue: Issue): string =>
    issue.input === undefined ? "is required" : `must be ${expected}`;

/** Most children one run-time expansion may make (the orchestrator's bound may be lower). */
export const MAX_EXPANSION_CHILDREN = 100_000;

/**
 * Builds the zod schemas of specs and plans. Called once, on first use: building them at import
 * would cost every `import` of core a few milliseconds even when no spec is ever checked.
 */
function buildSchemas() {
  const nonEmptyString = z.string({ error: typed("a string") }).min(1, { error: "must not be empty" });
  const stringList = z.array(nonEmptyString, { error: typed("an array of strings") });
  const finiteNumber = z.number({ error: typed("a finite number") });
  const delayMs = finiteNumber
    .min(0, { error: "must not be negative" })
    .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms` });

  const idSchema = z
    .string({ error: typed("a string") })
    .regex(ID_PATTERN, { error: "must be 1–128 letters, digits or _ . : - (no / or #)" })
    .refine((id) => !id.endsWith(COMPENSATE_SUFFIX), {
      error: `must not end with "${COMPENSATE_SUFFIX}", which is reserved for compensating tasks`,
    });

  const retrySchema = z.strictObject(
    {
      attempts: finiteNumber
        .int({ error: "must be an integer" })
        .min(1, { error: "must be at least 1" })
        .optional(),
      backoffMs: delayMs.optional(),
      factor: finiteNumber.min(1, { error: "must be at least 1" }).optional(),
      maxBackoffMs: delayMs.optional(),
    },
    { error: typed("an object { attempts?, backoffMs?, factor?, maxBackoffMs? }") },
  );

  const expandSchema = z
    .strictObject(
      {
        items: z
          .string({ error: typed('a dot path such as "packages" or "result.items"') })
          .regex(/^([A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*)?$/, {
            error: "must be a dot path such as packages.list",
          })
          .optional(),
        each: z.unknown().optional(),
        using: nonEmptyString.optional(),
        maxChildren: finiteNumber
          .int({ error: "must be an integer" })
          .min(1, { error: "must be at least 1" })
          .max(MAX_EXPANSION_CHILDREN, { error: `must be at most ${MAX_EXPANSION_CHILDREN}` })
          .optional(),
      },
      { error: typed("an object { items?, each? | using?, maxChildren? }") },
    )
    .refine((e) => (e.each === undefined) !== (e.using === undefined), {
      error: 'needs exactly one of "each" (a task template) or "using" (an expander name)',
    });

  const shared = {
    description: z
      .string({ error: typed("a string") })
      .refine((text) => text.trim().length > 0, { error: "must not be empty" }),
    input: z.unknown().optional(),
    capabilities: stringList,
    priority: finiteNumber,
    dependsOn: stringList,
    patternOptions: z.unknown().optional(),
    // Items are checked node by node by the readers; z.array would walk every item once more.
    children: z.custom<readonly unknown[]>((value) => Array.isArray(value), {
      error: typed("an array of tasks"),
    }),
    compensate: z.unknown().optional(),
    timeoutMs: finiteNumber
      .gt(0, { error: "must be greater than 0" })
      .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms` }),
    retry: retrySchema,
    strategy: nonEmptyString,
    metadata: z.unknown().optional(),
  };

  // One TaskSpec node; `children` and `compensate` are checked node by node, never recursively.
  const specNodeSchema = z.strictObject({
    id: idSchema.optional(),
    description: shared.description,
    input: shared.input,
    capabilities: shared.capabilities.optional(),
    priority: shared.priority.optional(),
    dependsOn: shared.dependsOn.optional(),
    pattern: nonEmptyString.optional(),
    patternOptions: shared.patternOptions,
    children: shared.children.optional(),
    expand: expandSchema.optional(),
    compensate: shared.compensate,
    timeoutMs: shared.timeoutMs.optional(),
    retry: shared.retry.optional(),
    strategy: shared.strategy.optional(),
    metadata: shared.metadata,
  });

  // One PlanNode; every field is required (`null` where the model allows it).
  const planNodeSchema = z.strictObject({
    id: z.string({ error: typed("a string") }),
    path: z.string({ error: typed("a string") }),
    description: shared.description,
    input: shared.input,
    depth: finiteNumber.int({ error: "must be an integer" }),
    complexity: z.enum(COMPLEXITIES as [string, ...string[]], {
      error: typed(`one of ${COMPLEXITIES.join(", ")}`),
    }),
    pattern: nonEmptyString.nullable(),
    patternOptions: shared.patternOptions,
    capabilities: shared.capabilities,
    priority: shared.priority,
    dependsOn: shared.dependsOn,
    children: shared.children,
    expand: expandSchema.nullable().optional(),
    compensate: shared.compensate,
    timeoutMs: shared.timeoutMs.nullable(),
    retry: shared.retry.nullable(),
    strategy: shared.strategy.nullable(),
    metadata: shared.metadata,
  });

  // The fields of a Plan around its root.
  const planSchema = z.strictObject({
    taskId: nonEmptyString,
    root: z.unknown().optional(),
    nodeCount: finiteNumber.int({ error: "must be an integer" }).min(1, { error: "must be at least 1" }),
    leafCount: finiteNumber.int({ error: "must be an integer" }).min(1, { error: "must be at least 1" }),
    depth: finiteNumber.int({ error: "must be an integer" }).min(0, { error: "must not be negative" }),
    source: nonEmptyString,
  });

  return { id: idSchema, specNode: specNodeSchema, planNode: planNodeSchema, plan: planSchema };
}

let built: ReturnType<typeof buildSchemas> | undefined;

/** The spec and plan schemas, built on first call. @internal */
export function schemas(): ReturnType<typeof buildSchemas> {
  built ??= buildSchemas();
  return built;
}

/** Parsed form of one TaskSpec node. @internal */
export type SpecNodeFields = z.output<ReturnType<typeof buildSchemas>["specNode"]>;

/** Parsed form of one PlanNode. @internal */
export type PlanNodeFields = z.output<ReturnType<typeof buildSchemas>["planNode"]>;

/** ID check for validatePlan, which needs the same rule as specs. @internal */
export function checkId(id: string): string | null {
  const result = schemas().id.safeParse(id);
  return result.success ? null : result.error.issues[0]!.message;
}

/**
 * Runs a schema on one object and turns zod issues into {@link SpecIssue}s under `base`;
 * unknown keys become `unknown key "x"`, prototype keys `forbidden key "__proto__"`.
 *
 * @returns the parsed data, or `null` when there were issues
 * @internal
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: Record<string, unknown>,
  base: string,
  issues: SpecIssue[],
): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = appendPath(base, issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({
          path,
          message: FORBIDDEN_KEYS.has(key) ? `forbidden key "${key}"` : `unknown key "${key}"`,
        });
      }
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  return null;
}
