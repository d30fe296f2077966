import { GERUNDS } from "./verbs.js";
import { capitalize, clean, splitOn } from "./scan.js";

const SEQUENCE =
  /\s*[,;]?\s*\b(?:and then|then|afterwards|after that|after which|finally|lastly|followed by|subsequently|and next)\b\s*,?\s*|\s*[,;.]\s*next\b\s*,?\s*|\s*(?:\u2192|->|=>|\u21d2)\s*/g;

/**
 * Stages of a text written as a sequence: "A, then B", "A → B", "A; finally B", "A followed
 * by B". Needs two non-empty stages.
 *
 * @internal
 */
export function splitSequence(text: string, masked: string): string[] | null {
  const stages = splitOn(text, masked, SEQUENCE);
  return stages.length >= 2 ? stages.map(capitalize) : null;
}

/** "backing up the database" → "Back up the database", for known verbs. */
function imperative(clause: string): string {
  const [first = "", ...rest] = clause.split(/\s+/);
  const verb = GERUNDS.get(first.toLowerCase());
  return capitalize(verb === undefined ? clause : [verb, ...rest].join(" "));
}

const LEADING = /^(before|after)\s+([a-z]+ing\b[^,]*),\s*(.+)$/;
const TRAILING = /^(.+?)\s+(before|after)\s+([a-z]+ing\b.*)$/;

/**
 * "A before B-ing …", "A after B-ing …", "Before B-ing …, A", "After B-ing …, A": two stages in
 * time order. Only a gerund of a known verb counts, so "after the meeting" is not a stage.
 *
 * @internal
 */
export function splitBeforeAfter(text: string, masked: string): string[] | null {
  const leading = LEADING.exec(masked);
  if (leading !== null && GERUNDS.has(leading[2]!.split(/\s+/)[0]!)) {
    const gerund = clean(text.slice(leading[1]!.length, leading[1]!.length + 1 + leading[2]!.length));
    const main = clean(text.slice(masked.length - leading[3]!.length));
    if (gerund.length === 0 || main.length === 0) return null;
    return leading[1] === "before"
      ? [capitalize(main), imperative(gerund)]
      : [imperative(gerund), capitalize(main)];
  }
  const trailing = TRAILING.exec(masked);
  if (trailing !== null && GERUNDS.has(trailing[3]!.split(/\s+/)[0]!)) {
    const main = clean(text.slice(0, trailing[1]!.length));
    const gerund = clean(text.slice(masked.length - trailing[3]!.length));
    if (gerund.length === 0 || main.length === 0) return null;
    return trailing[2] === "before"
      ? [capitalize(main), imperative(gerund)]
      : [imperative(gerund), capitalize(main)];
  }
  return null;
}
