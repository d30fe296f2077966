import type { TaskSpec } from "@echelon/core";
import { complexityForHeight } from "@echelon/core/plugin";
import { type CapabilityRule, inferCapabilities } from "./capabilities.js";
import type { Outline, OutlineUndo } from "./outline.js";
import type { PatternChoice } from "./patterns.js";
import { outlineHeight, type Shape } from "./shape.js";
import { compensationFor } from "./text/compensation.js";
import { PRIORITY_RULES } from "./text/lexicon.js";
import { decapitalize } from "./text/scan.js";

/** Everything the builder needs besides the outline. @internal */
export interface BuildContext extends Shape {
  readonly registered: ReadonlySet<string> | null;
  readonly forced: string | undefined;
  readonly rules: readonly CapabilityRule[] | null;
  readonly maxCapabilities: number;
  /**
   * Lazy decomposition: a node built with this budget or less (that is, at least `eagerLevels`
   * below the root) is not split now but marked to be decomposed when reached; `null`: none.
   */
  readonly lazyAtBudget: number | null;
}

/** A TaskSpec under construction. @internal */
export type Mutable = {
  -readonly [K in keyof TaskSpec]: TaskSpec[K];
};

/** Priority stated by the text, if any. @internal */
export function priorityOf(text: string): number | undefined {
  const lower = text.toLowerCase();
  for (const [pattern, value] of PRIORITY_RULES) if (pattern.test(lower)) return value;
  return undefined;
}

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (s.length === 0) return "task";
  if (s.length <= 40) return s;
  // Keep both ends: siblings usually differ at the end ("…-provider-1", "…-provider-2").
  const head = s.slice(0, 20).replace(/-[^-]*$/, "") || s.slice(0, 20);
  const tail = s.slice(-19).replace(/^[^-]*-/, "") || s.slice(-19);
  return `${head}--${tail}`;
}

/** Assigns ids from descriptions, unique among siblings. @internal */
export function assignIds(children: Mutable[]): void {
  const used = new Set<string>();
  for (const child of children) {
    const base = slug(child.description);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    child.id = id;
  }
}

/**
 * A leaf task. Its capabilities are inferred from its own description (or `known`, inferred
 * from the same words); a leaf cut short by the depth budget records the complexity its text
 * alone would need.
 *
 * @internal
 */
export function leafSpec(
  description: string,
  priority: number,
  context: BuildContext,
  outline?: Outline,
  known?: readonly string[],
): Mutable {
  const spec: Mutable = { description };
  if (context.rules !== null) {
    const capabilities = known ?? inferCapabilities(description, context.rules, context.maxCapabilities);
    if (capabilities.length > 0) spec.capabilities = capabilities;
  }
  if (priority !== 0) spec.priority = priority;
  if (outline !== undefined && outline.kind !== "leaf") {
    // Cut by the depth budget: say how much decomposition the text itself would need.
    const complexity = complexityForHeight(outlineHeight(outline, 64, context));
    if (complexity !== "atomic") spec.metadata = { complexity };
  }
  return spec;
}

/**
 * A step that would be composite, left to be decomposed when it is reached (lazy
 * decomposition): its text carries its structure, so the orchestrator hands the description back
 * to the decomposer then, with the levels left. `metadata.complexity` says how much
 * decomposition the text will need.
 *
 * @internal
 */
export function lazySpec(
  description: string,
  priority: number,
  outline: Outline,
  budget: number,
  context: BuildContext,
): Mutable {
  const spec: Mutable = { description, expand: { using: "decompose" } };
  if (priority !== 0) spec.priority = priority;
  spec.metadata = { complexity: complexityForHeight(outlineHeight(outline, budget, context)) };
  return spec;
}

/**
 * Makes `spec` a composite of `children` under the chosen pattern: ids, `dependsOn` chains when
 * the pattern needs them, and compensations in a saga — the conditional undo the text wrote for
 * a step ("roll back if they fail"), else the inverse of the step's verb. Without a saga the
 * undos are kept as notes.
 *
 * @internal
 */
export function composite(
  spec: Mutable,
  choice: PatternChoice,
  children: Mutable[],
  rule: string,
  context: BuildContext,
  undo: readonly OutlineUndo[] = [],
): Mutable {
  assignIds(children);
  if (choice.chain) {
    for (let i = 1; i < children.length; i++) children[i]!.dependsOn = [children[i - 1]!.id!];
  }
  if (choice.compensate) {
    children.forEach((child, i) => {
      const undone = undo.find((u) => u.target === i);
      const description = undone?.hasObject === true ? undone.action : compensationFor(child.description);
      const compensate: Mutable = leafSpec(description, child.priority ?? 0, context);
      compensate.metadata = {
        compensates: child.id,
        ...(undone === undefined ? {} : { condition: undone.condition }),
      };
      child.compensate = compensate;
    });
  } else if (undo.length > 0) {
    const notes = (spec.metadata?.notes as string[] | undefined) ?? [];
    const unrun = undo.map((u) => `${decapitalize(u.text)} (needs the saga pattern)`);
    spec.metadata = { ...spec.metadata, notes: [...notes, ...unrun] };
  }
  spec.pattern = choice.pattern;
  spec.children = children;
  spec.metadata = { ...spec.metadata, rule };
  return spec;
}
