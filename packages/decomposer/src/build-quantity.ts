import { type BuildContext, composite, leafSpec, type Mutable } from "./build-nodes.js";
import { inferCapabilities } from "./capabilities.js";
import type { GroupOutline } from "./outline.js";
import type { PatternChoice } from "./patterns.js";
import { levelsFor, perItemLevels, quantityLevels } from "./shape.js";
import { formatCount, type Quantity } from "./text/quantity.js";
import { capitalize, tidy } from "./text/scan.js";

/** The items a node covers: recorded as the `input` of item groups and `metadata.items` of steps. */
interface ItemRange {
  readonly unit: string;
  readonly from: number;
  readonly to: number;
  readonly of: number;
}

/** "all", "each of the", "the" just before a counted phrase are dropped from its ranges. */
const QUANTIFIER = /\b(?:(?:all|each|every|any)(?: of)?(?: the)?|the)\s*$/i;

function itemsPhrase(q: Quantity, from: number, to: number): string {
  return from === to
    ? `${q.singular} ${formatCount(from)}`
    : `${q.plural} ${formatCount(from)}\u2013${formatCount(to)}`;
}

/**
 * "Migrate API endpoints 1–50": the quantity's clause with its number replaced by a range. The
 * words around the number are tidied once per quantity (batches differ only in their numbers).
 *
 * @internal
 */
export function rangeTexts(q: Quantity): (from: number, to: number) => string {
  const before = q.before.replace(QUANTIFIER, "").replace(/\s+/g, " ").trimStart();
  const after = q.after.replace(/\s+/g, " ").trimEnd();
  // Tidied with a stand-in for the range, so that spacing around it is kept as written.
  const head = before.length === 0 ? "" : tidy(`${before}x`).slice(0, -1);
  const tail = after.trim().length === 0 ? "" : tidy(`x${after}`).slice(1);
  return (from, to) => capitalize(`${head}${itemsPhrase(q, from, to)}${tail}`);
}

const FROM_VERB =
  /^(?:extract|download|fetch|pull|scrape|remove|strip|collect|gather|export|read|delete|retrieve|crawl)\b/i;
const TO_VERB = /^(?:upload|send|push|deploy|apply|add|attach|email|mail|deliver|forward|sync)\b/i;

const PREPOSITION_USED = { from: /\bfrom\b/i, to: /\bto\b/i, for: /\bfor\b/i } as const;

/** A pattern for the words by which a step refers to one item: "each page", "the documents", "it". */
function itemReference(q: Quantity): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const last = q.singular.split(" ").at(-1)!;
  const nouns = [...new Set([q.plural, q.singular, `${last}s`, last])].map(literal).join("|");
  return new RegExp(
    `\\b(?:(?:(?:each|every|all)(?: of)?(?: the)?|the) (?:${nouns})\\b|\\b(?:each one|each|it|them)\\b(?!-))`,
    "i",
  );
}

/**
 * "Extract text" → "Extract text from documents 1–100": a step keeps the object it works on,
 * in place of the words that referred to it ("translate each page" → "translate product page 3")
 * or after it, with a preposition that suits its verb.
 */
function scopedDescription(step: string, phrase: string, reference: RegExp): string {
  const at = reference.exec(step);
  if (at !== null) return step.slice(0, at.index) + phrase + step.slice(at.index + at[0].length);
  const preposition = FROM_VERB.test(step) ? "from" : TO_VERB.test(step) ? "to" : "for";
  return `${step} ${PREPOSITION_USED[preposition].test(step) ? "for" : preposition} ${phrase}`;
}

/** A copy of a per-item steps tree for one range of items. */
function scoped(spec: Mutable, q: Quantity, items: ItemRange, reference: RegExp): Mutable {
  const copy: Mutable = {
    ...spec,
    description: scopedDescription(spec.description, itemsPhrase(q, items.from, items.to), reference),
    metadata: { ...spec.metadata, items },
  };
  if (spec.children !== undefined) copy.children = spec.children.map((c) => scoped(c, q, items, reference));
  if (spec.compensate !== undefined) copy.compensate = scoped(spec.compensate, q, items, reference);
  return copy;
}

/**
 * Item groups of a quantity, at most `maxFanOut` per node and `levels` deep, groups sized in
 * powers of the fan-out; `unit` makes each group at the bottom.
 */
function itemGroups(
  q: Quantity,
  levels: number,
  priority: number,
  context: BuildContext,
  choice: PatternChoice,
  unit: (description: string, items: ItemRange) => Mutable,
): Mutable[] {
  const f = context.maxFanOut;
  const perUnit = Math.ceil(q.count / f ** levels);
  const units = Math.ceil(q.count / perUnit);
  const rangeOf = (u1: number, u2: number): ItemRange => ({
    unit: q.singular,
    from: (u1 - 1) * perUnit + 1,
    to: Math.min(u2 * perUnit, q.count),
    of: q.count,
  });
  const textOf = rangeTexts(q);
  const range = (u1: number, u2: number, level: number): Mutable[] => {
    const n = u2 - u1 + 1;
    const size = Math.max(1, f ** (Math.min(levelsFor(n, f), level) - 1));
    const out: Mutable[] = [];
    for (let u = u1; u <= u2; u += size) {
      const end = Math.min(u + size - 1, u2);
      const items = rangeOf(u, end);
      const description = textOf(items.from, items.to);
      if (end === u || level <= 1) {
        out.push(unit(description, items));
      } else {
        const group: Mutable = { description, input: items };
        if (priority !== 0) group.priority = priority;
        out.push(composite(group, choice, range(u, end, level - 1), "quantity", context));
      }
    }
    return out;
  };
  return range(1, units, levels);
}

/**
 * The input of a quantity node: every item, `{ unit, from: 1, to, of }` (and `atLeast` for
 * "10,000+").
 *
 * @internal
 */
export function quantityInput(q: Quantity): Mutable["input"] {
  return { unit: q.singular, from: 1, to: q.count, of: q.count, ...(q.atLeast ? { atLeast: true } : {}) };
}

/** Options of {@link quantitySpec}. @internal */
export interface QuantityBuild {
  readonly q: Quantity;
  readonly steps: GroupOutline | undefined;
  readonly budget: number;
  readonly priority: number;
  readonly context: BuildContext;
  readonly choice: PatternChoice;
  /** Builds the per-item steps tree within a budget (the general builder). */
  readonly buildSteps: (budget: number) => Mutable;
}

/**
 * A quantity node: batches of items ("Migrate API endpoints 1–50"), or, when the text names
 * steps for every item, item groups each running the steps ("Process documents 1–100" →
 * "Extract text from documents 1–100", …). With no level to spare for groups the steps run over
 * all items at once; with one level only the groups are leaves.
 *
 * @internal
 */
export function quantitySpec(spec: Mutable, build: QuantityBuild): Mutable {
  const { q, steps, budget, priority, context, choice } = build;
  const all: ItemRange = { unit: q.singular, from: 1, to: q.count, of: q.count };
  spec.input = quantityInput(q);
  if (steps === undefined) {
    // Batches differ only in their numbers: infer their capabilities once.
    const capabilities =
      context.rules === null
        ? []
        : inferCapabilities(rangeTexts(q)(1, 2), context.rules, context.maxCapabilities);
    const levels = quantityLevels(q.count, budget, context);
    const groups = itemGroups(q, levels, priority, context, choice, (description, items) => {
      const leaf = leafSpec(description, priority, context, undefined, capabilities);
      leaf.input = items;
      return leaf;
    });
    return composite(spec, choice, groups, "quantity", context);
  }
  const levels = perItemLevels(q.count, budget, context);
  const template = build.buildSteps(levels === 0 ? budget : budget - levels);
  const reference = itemReference(q);
  const perGroup = (description: string, items: ItemRange): Mutable => {
    if ((levels > 0 && budget === 1) || template.children === undefined) {
      const leaf = leafSpec(`${description}: ${tidy(steps.text)}`, priority, context, steps);
      leaf.input = items;
      return leaf;
    }
    const { id: _id, ...shape } = template;
    const copy = scoped(shape, q, items, reference);
    return { ...copy, description, input: items, metadata: { ...template.metadata } };
  };
  if (levels === 0) {
    const whole = perGroup(spec.description, all);
    return {
      ...whole,
      ...(spec.priority === undefined ? {} : { priority: spec.priority }),
      input: spec.input,
    };
  }
  return composite(
    spec,
    choice,
    itemGroups(q, levels, priority, context, choice, perGroup),
    "per-item",
    context,
  );
}
