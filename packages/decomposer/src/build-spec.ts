import { type BuildContext, composite, lazySpec, leafSpec, type Mutable, priorityOf } from "./build-nodes.js";
import { quantityInput, quantitySpec } from "./build-quantity.js";
import { inferCapabilities } from "./capabilities.js";
import type { Outline } from "./outline.js";
import { preferredPattern, resolvePattern } from "./patterns.js";
import { quantityLevels } from "./shape.js";

export type { BuildContext } from "./build-nodes.js";

/** Nothing to build below a quantity: no level for its items (nor for its per-item steps). */
function quantityCut(outline: Outline, budget: number, context: BuildContext): boolean {
  if (outline.kind !== "quantity") return false;
  // Per-item steps are built even when no level is left for item groups.
  return outline.steps === undefined && quantityLevels(outline.quantity.count, budget, context) === 0;
}

/**
 * Turns an outline into a TaskSpec tree that fits in `budget` levels below it, choosing and
 * fitting a pattern for every composite node.
 *
 * @internal
 */
export function buildSpec(
  outline: Outline,
  description: string,
  budget: number,
  inherited: number,
  context: BuildContext,
): Mutable {
  const priority = priorityOf(outline.text) ?? inherited;
  if (budget <= 0 || outline.kind === "leaf" || quantityCut(outline, budget, context))
    return leafSpec(description, priority, context, outline);
  const choice = resolvePattern(preferredPattern(outline), context.registered, context.forced);
  if (choice === null) return leafSpec(description, priority, context, outline);
  // Lazy decomposition: a step whose own text is its structure is split when it is reached.
  if (context.lazyAtBudget !== null && budget <= context.lazyAtBudget && description === outline.text) {
    const lazy = lazySpec(description, priority, outline, budget, context);
    // The input the node would have had: the orchestrator hands it to the decomposer with the text.
    if (outline.kind === "quantity") lazy.input = quantityInput(outline.quantity);
    else if (outline.kind === "consensus") lazy.input = { question: outline.text };
    return lazy;
  }
  const spec: Mutable = { description };
  if (priority !== 0) spec.priority = priority;
  switch (outline.kind) {
    case "consensus": {
      const capabilities =
        context.rules === null
          ? []
          : ["review", ...inferCapabilities(outline.text, context.rules, context.maxCapabilities)];
      const reviewers = Array.from({ length: outline.count }, (_, i): Mutable => {
        const reviewer: Mutable = { description: `${outline.role} ${i + 1} of ${outline.count}` };
        const unique = [...new Set(capabilities)].slice(0, Math.max(context.maxCapabilities, 1));
        if (unique.length > 0) reviewer.capabilities = unique;
        if (priority !== 0) reviewer.priority = priority;
        reviewer.input = { question: outline.text, reviewer: i + 1, of: outline.count };
        return reviewer;
      });
      spec.input = { question: outline.text };
      if (choice.pattern === "scatter-gather" && /\bvot(?:e|es|ed|ing|ers?)\b/i.test(outline.text)) {
        spec.patternOptions = { gather: "majority" };
      }
      return composite(spec, choice, reviewers, "consensus", context);
    }
    case "quantity": {
      const { steps } = outline;
      return quantitySpec(spec, {
        q: outline.quantity,
        steps,
        budget,
        priority,
        context,
        choice,
        // The steps are planned with their quantity: their text alone does not say what they
        // apply to, so they are never left for later.
        buildSteps: (b) => buildSpec(steps!, steps!.text, b, priority, { ...context, lazyAtBudget: null }),
      });
    }
    case "group": {
      const children = outline.children.map((child) =>
        buildSpec(child, child.text, budget - 1, priority, context),
      );
      const facts: Record<string, string[]> = {};
      if (outline.constraints.length > 0) facts.constraints = [...outline.constraints];
      if (outline.notes.length > 0) facts.notes = [...outline.notes];
      if (Object.keys(facts).length > 0) spec.metadata = facts;
      return composite(spec, choice, children, outline.rule, context, outline.undo);
    }
  }
}
