import type { Outline } from "./outline.js";

/** Fan-out knobs shared by the measuring and building code. @internal */
export interface Shape {
  /** Most children of a quantity node. */
  readonly maxFanOut: number;
  /** Most levels one quantity may use. */
  readonly maxQuantityLevels: number;
}

/** Levels of groups needed to split `count` items with at most `fanOut` children per node. @internal */
export function levelsFor(count: number, fanOut: number): number {
  let levels = 0;
  for (let reach = 1; reach < count; reach *= fanOut) levels++;
  return levels;
}

/** Levels a quantity node of `count` items uses within `budget` levels. @internal */
export function quantityLevels(count: number, budget: number, shape: Shape): number {
  return Math.min(budget, shape.maxQuantityLevels, levelsFor(count, shape.maxFanOut));
}

/**
 * Levels of item groups above the per-item steps of a quantity with steps ("Process 1000
 * documents: extract text, …"): one level is kept for the steps, except with one level left,
 * where the groups themselves are the leaves. 0 means the steps run over all items at once.
 *
 * @internal
 */
export function perItemLevels(count: number, budget: number, shape: Shape): number {
  return quantityLevels(count, budget <= 1 ? budget : budget - 1, shape);
}

/**
 * Height of the tree an outline becomes with `budget` levels available below it.
 *
 * @internal
 */
export function outlineHeight(outline: Outline, budget: number, shape: Shape): number {
  if (budget <= 0) return 0;
  switch (outline.kind) {
    case "leaf":
      return 0;
    case "consensus":
      return 1;
    case "quantity": {
      if (outline.steps === undefined) return quantityLevels(outline.quantity.count, budget, shape);
      const levels = perItemLevels(outline.quantity.count, budget, shape);
      if (levels === 0) return outlineHeight(outline.steps, budget, shape);
      return budget === 1 ? 1 : levels + outlineHeight(outline.steps, budget - levels, shape);
    }
    case "group": {
      let max = 0;
      for (const child of outline.children) max = Math.max(max, outlineHeight(child, budget - 1, shape));
      return 1 + max;
    }
  }
}

/**
 * Upper estimate of the number of tasks an outline becomes (compensations excluded).
 *
 * @internal
 */
export function outlineSize(outline: Outline, budget: number, shape: Shape): number {
  if (budget <= 0) return 1;
  switch (outline.kind) {
    case "leaf":
      return 1;
    case "consensus":
      return 1 + outline.count;
    case "quantity": {
      const { steps } = outline;
      const count = outline.quantity.count;
      const levels =
        steps === undefined ? quantityLevels(count, budget, shape) : perItemLevels(count, budget, shape);
      if (levels === 0) return steps === undefined ? 1 : outlineSize(steps, budget, shape);
      const f = shape.maxFanOut;
      const units = Math.ceil(count / Math.ceil(count / f ** levels));
      // Each group at the bottom is one task, or the per-item steps below it.
      const unitSize = steps === undefined || budget === 1 ? 1 : outlineSize(steps, budget - levels, shape);
      let total = 1 + units * unitSize;
      for (let l = 1; l < levels; l++) total += Math.ceil(units / f ** (levels - l));
      return total;
    }
    case "group": {
      let total = 1;
      for (const child of outline.children) total += outlineSize(child, budget - 1, shape);
      return total;
    }
  }
}

/**
 * The shape to build with: the configured one, with fewer quantity levels (coarser batches,
 * down to none: each quantity one task) when the plan would otherwise exceed `maxNodes` tasks.
 *
 * @internal
 */
export function fitShape(outline: Outline, budget: number, shape: Shape, maxNodes: number): Shape {
  let levels = shape.maxQuantityLevels;
  while (levels > 0 && outlineSize(outline, budget, { ...shape, maxQuantityLevels: levels }) > maxNodes)
    levels--;
  return levels === shape.maxQuantityLevels ? shape : { ...shape, maxQuantityLevels: levels };
}
