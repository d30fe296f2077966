import { TRANSACTIONAL_VERB } from "./lexicon.js";
import { capitalize, clean, words } from "./scan.js";
import { verbOf } from "./verbs.js";

/** A conditional undo written among the steps: "roll back if they fail". @internal */
export interface Undo {
  /** The undo clause without its condition, capitalized ("Roll back the release"). */
  readonly action: string;
  /** The condition as written ("if they fail"). */
  readonly condition: string;
  /** The clause names what it undoes ("the release"), not just "roll back" or "revert it". */
  readonly hasObject: boolean;
  /** The whole clause as written. */
  readonly text: string;
}

const UNDO_VERB = /^(?:roll(?:ed|ing)?\s*back|rollback|revert|undo|reverse|refund|cancel|restore)\b/i;
const LEADING =
  /^(?:(?:and\s+|but\s+)?(?:if|when|whenever|should|in case|unless|once)\b[^,]*|otherwise|else|or else),?\s+/i;
const TRAILING =
  /\s+(?:(?:only\s+)?if|when|whenever|unless|in case|should|on (?:failure|error)|otherwise|or else|else)\b.*$/i;
const VAGUE_OBJECT = /^(?:it|them|this|that|everything|all|all of it|the changes|everything back)?$/i;

/**
 * Reads a clause as a conditional undo: an undo verb (roll back, revert, undo, reverse, refund,
 * cancel, restore) with a condition before ("If they fail, roll back") or after ("roll back if
 * they fail", "… otherwise"). `null` for anything else — an unconditional "Roll back the
 * release" is a step like any other.
 *
 * @internal
 */
export function parseUndo(clause: string): Undo | null {
  const text = clean(clause);
  const leading = LEADING.exec(text);
  let action: string;
  let condition: string;
  if (leading !== null && UNDO_VERB.test(text.slice(leading[0].length))) {
    action = text.slice(leading[0].length);
    condition = clean(leading[0]);
  } else {
    if (!UNDO_VERB.test(text)) return null;
    const trailing = TRAILING.exec(text);
    if (trailing === null) return null;
    action = text.slice(0, trailing.index);
    condition = clean(trailing[0]);
  }
  action = clean(action);
  const verbWords = /^roll(?:ed|ing)?\s+back\b/i.test(action) ? 2 : 1;
  const object = words(action).slice(verbWords).join(" ");
  return { action: capitalize(action), condition, hasObject: !VAGUE_OBJECT.test(object), text };
}

const STOP = new Set(["the", "a", "an", "of", "to", "for", "and", "our", "its", "their", "back"]);

function stem(word: string): string {
  const w = word.toLowerCase().replace(/[^a-z0-9]/g, "");
  return w.slice(0, Math.min(5, w.length));
}

/**
 * The step a conditional undo compensates, among the steps written before it: the latest whose
 * verb its object names ("refund *the charge*" → "Charge the card"; "revert *the upgrade*" →
 * "Upgrade …"), else the latest that shares a word with its object, else the latest
 * transactional step (deploy, migrate, …), else the step just before it.
 *
 * @param undo - the undo
 * @param steps - descriptions of the steps before it (at least one)
 * @internal
 */
export function targetOf(undo: Undo, steps: readonly string[]): number {
  const objectWords = words(undo.action)
    .slice(1)
    .filter((w) => !STOP.has(w.toLowerCase()) && w.length >= 3);
  const objectStems = new Set(objectWords.map(stem));
  const latest = (test: (step: string) => boolean): number => {
    for (let i = steps.length - 1; i >= 0; i--) if (test(steps[i]!)) return i;
    return -1;
  };
  if (undo.hasObject) {
    const byVerb = latest((s) => {
      const verb = verbOf(words(s)[0] ?? "");
      return verb !== undefined && objectStems.has(stem(verb));
    });
    if (byVerb >= 0) return byVerb;
    const lowerObject = new Set(objectWords.map((w) => w.toLowerCase()));
    const byNoun = latest((s) => words(s).some((w) => lowerObject.has(w.toLowerCase())));
    if (byNoun >= 0) return byNoun;
  }
  const transactional = latest((s) => TRANSACTIONAL_VERB.test(s.toLowerCase()));
  return transactional >= 0 ? transactional : steps.length - 1;
}
