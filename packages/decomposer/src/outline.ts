import { CONSENSUS_NOUNS, NUMBER_WORDS, PARALLEL, PARALLEL_PHRASES, REVIEW_VERB } from "./text/lexicon.js";
import { splitInlineList, splitLineList } from "./text/lists.js";
import { splitBeforeAfter, splitSequence } from "./text/ordering.js";
import { findQuantity, type Quantity } from "./text/quantity.js";
import { leadOf, splitEnumeration } from "./text/enumeration.js";
import { parseUndo, targetOf, type Undo } from "./text/rollback.js";
import { capitalize, clean, mask, splitOn, tidy, words } from "./text/scan.js";
import { startsWithVerb } from "./text/verbs.js";

/** Which rule produced a composite node (recorded as `metadata.rule`). */
export type RuleName =
  | "list"
  | "numbered-list"
  | "sequence"
  | "sentences"
  | "header"
  | "enumeration"
  | "quantity"
  | "per-item"
  | "consensus";

/** A conditional undo and the step (index among the group's children) it compensates. @internal */
export interface OutlineUndo extends Undo {
  readonly target: number;
}

/** A group of parts: steps or items. @internal */
export interface GroupOutline {
  readonly kind: "group";
  readonly text: string;
  readonly rule: RuleName;
  /** The text states an order (sequence words, numbered list, sentences, distinct actions). */
  readonly ordered: boolean;
  /** The order comes from explicit words or numbers, not just from listing actions. */
  readonly explicitOrder: boolean;
  readonly children: readonly Outline[];
  readonly constraints: readonly string[];
  /** Sentences that are context rather than steps. */
  readonly notes: readonly string[];
  /** Conditional undos ("roll back if they fail"): compensations, not steps. */
  readonly undo: readonly OutlineUndo[];
}

/** The structure found in a text, before it is fitted into a depth budget. @internal */
export type Outline =
  | { readonly kind: "leaf"; readonly text: string }
  | GroupOutline
  | {
      readonly kind: "quantity";
      readonly text: string;
      readonly quantity: Quantity;
      /** Steps done for every item ("Process 1000 documents: extract text, …"). */
      readonly steps?: GroupOutline;
    }
  | { readonly kind: "consensus"; readonly text: string; readonly count: number; readonly role: string };

/** Knobs of the parser. @internal */
export interface ParseOptions {
  readonly reviewers: number;
  readonly vagueCount: number;
}

/** Deepest structural nesting the parser looks for (texts rarely nest more than 3). */
const MAX_NESTING = 8;

const SENTENCE = /(?<=[.!])\s+(?=[a-z0-9])/g;
const HEADER = /:\s+/g;
const CONSENSUS_COUNT =
  /\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:[a-z-]+\s+)?(experts?|reviewers?|opinions|voters?|judges?|panelists?|agents?|models?|people|engineers?|reviews)\b/;

function group(
  text: string,
  rule: RuleName,
  ordered: boolean,
  explicitOrder: boolean,
  parts: readonly string[],
  options: ParseOptions,
  nesting: number,
  constraints: readonly string[] = [],
  notes: readonly string[] = [],
): Outline {
  const tidied = parts.map((p) => capitalize(tidy(p))).filter((p) => p.length > 0);
  let children = tidied.map((p) => parseOutline(p, options, nesting + 1));
  if (rule === "sequence") {
    // "A, B, then C": the listed actions before "then" are steps of the same sequence.
    children = children.flatMap((c) =>
      c.kind === "group" && c.rule === "enumeration" && c.ordered && !PARALLEL.test(c.text.toLowerCase())
        ? c.children
        : [c],
    );
  }
  const undo: OutlineUndo[] = [];
  if (ordered) {
    const steps: Outline[] = [];
    for (const child of children) {
      const found = child.kind === "leaf" && steps.length > 0 ? parseUndo(child.text) : null;
      if (found === null) steps.push(child);
      else
        undo.push({
          ...found,
          target: targetOf(
            found,
            steps.map((c) => c.text),
          ),
        });
    }
    children = steps;
  }
  if (children.length + undo.length < 2) return { kind: "leaf", text };
  return { kind: "group", text, rule, ordered, explicitOrder, children, constraints, notes, undo };
}

/**
 * "Process 1000 documents: extract text, analyze sentiment": a counted object in the header and
 * actions as the items — the actions are steps done for every item. @internal
 */
function perItem(text: string, header: string, makeSteps: () => Outline): Outline | null {
  const quantity = findQuantity(header.replace(PARALLEL_PHRASES, ""), 0);
  if (quantity === null) return null;
  const steps = makeSteps();
  if (steps.kind !== "group" || steps.children.length < 2) return null;
  return { kind: "quantity", text, quantity, steps };
}

function consensus(text: string, lower: string, options: ParseOptions): Outline {
  const m = CONSENSUS_COUNT.exec(lower);
  const raw = m?.[1];
  const count = raw === undefined ? options.reviewers : (NUMBER_WORDS.get(raw) ?? Number(raw));
  const noun = m?.[2] ?? "reviewer";
  const role = /^(?:opinions|reviews|people|agents|models)$/.test(noun)
    ? "Reviewer"
    : capitalize(noun.endsWith("s") ? noun.slice(0, -1) : noun);
  return { kind: "consensus", text, count: Math.max(2, Math.min(count, 100)), role };
}

/**
 * Finds the structure of a task text, rule by rule in a fixed order (see the README):
 * question → list → sequence → sentences → consensus nouns → header colon → enumeration →
 * "review …" → quantity → vague plural → leaf.
 *
 * @internal
 */
export function parseOutline(raw: string, options: ParseOptions, nesting = 0): Outline {
  const text = clean(raw.replace(/[ \t]+/g, " ").trim()) || raw.trim();
  if (nesting >= MAX_NESTING) return { kind: "leaf", text };
  const masked = mask(text);
  const lower = text.toLowerCase();

  if (text.endsWith("?") || raw.trim().endsWith("?")) return consensus(text, lower, options);

  const list = splitLineList(text) ?? splitInlineList(text, masked);
  if (list !== null) {
    const rule = list.numbered ? "numbered-list" : "list";
    if (list.header.length > 0 && list.items.every((i) => startsWithVerb(words(i)))) {
      const fanOut = perItem(text, list.header, () =>
        group(list.items.join(", "), rule, list.numbered, list.numbered, list.items, options, nesting),
      );
      if (fanOut !== null) return fanOut;
    }
    const lead = list.header.length > 0 ? leadOf(list.header, true) : null;
    const items =
      lead === null ? list.items : list.items.map((i) => (startsWithVerb(words(i)) ? i : `${lead} ${i}`));
    return group(text, rule, list.numbered, list.numbered, items, options, nesting);
  }
  const flat = text.replace(/\s*\n\s*/g, " ");
  const flatMasked = mask(flat);

  const stages = splitSequence(flat, flatMasked) ?? splitBeforeAfter(flat, flatMasked);
  if (stages !== null) return group(flat, "sequence", true, true, stages, options, nesting);

  const sentences = splitOn(flat, flatMasked, SENTENCE);
  if (sentences.length >= 2) {
    const steps = sentences.filter((s) => startsWithVerb(words(s)) || parseUndo(s) !== null);
    if (steps.length >= 2) {
      const notes = sentences.filter((s) => !steps.includes(s));
      return group(flat, "sentences", true, true, steps, options, nesting, [], notes);
    }
  }

  if (CONSENSUS_NOUNS.test(flatMasked)) return consensus(flat, lower, options);

  HEADER.lastIndex = 0;
  const colon = HEADER.exec(flatMasked);
  if (colon !== null) {
    const header = flat.slice(0, colon.index);
    const rest = flat.slice(colon.index + colon[0].length).replace(PARALLEL_PHRASES, "");
    const enumeration = splitEnumeration(rest, mask(rest), leadOf(header, true));
    if (enumeration !== null) {
      const ordered = enumeration.actions >= 2;
      const fanOut = enumeration.allActions
        ? perItem(flat, header, () =>
            group(rest, "header", ordered, false, enumeration.items, options, nesting),
          )
        : null;
      if (fanOut !== null) return fanOut;
      return group(
        flat,
        "header",
        ordered,
        false,
        enumeration.items,
        options,
        nesting,
        enumeration.constraints,
      );
    }
  }

  const bare = flat.replace(PARALLEL_PHRASES, "");
  const enumeration =
    bare === flat ? splitEnumeration(flat, flatMasked, null) : splitEnumeration(bare, mask(bare), null);
  if (enumeration !== null) {
    const ordered = enumeration.actions >= 2;
    return group(
      flat,
      "enumeration",
      ordered,
      false,
      enumeration.items,
      options,
      nesting,
      enumeration.constraints,
    );
  }

  if (REVIEW_VERB.test(flatMasked)) return consensus(flat, lower, options);

  const quantity = findQuantity(bare, options.vagueCount);
  if (quantity !== null) return { kind: "quantity", text: flat, quantity };
  return { kind: "leaf", text: flat };
}
