import { CONSTRAINT } from "./lexicon.js";
import { parseUndo } from "./rollback.js";
import { capitalize, decapitalize, splitOn, tidy, words } from "./scan.js";
import { JOINT_VERBS, NOUN_LIKE_VERBS, OBJECT_STARTERS, startsWithVerb, verbOf } from "./verbs.js";

/** The work items of an enumeration. @internal */
export interface Enumeration {
  /** One description per item, with the shared verb and tail distributed. */
  readonly items: readonly string[];
  /** How many parts started with their own verb. */
  readonly actions: number;
  /** Parts that state a requirement ("zero downtime") rather than work. */
  readonly constraints: readonly string[];
  /** Every work part started with its own verb. */
  readonly allActions: boolean;
}

const SEMICOLONS = /\s*;\s*/g;
const COMMAS_AND = /\s*,(?!\d)\s*(?:and\s+|&\s+)?|\s+(?:and|&|plus|as well as)\s+/g;
const PREPOSITIONS: ReadonlySet<string> = new Set(
  "for with to on in into across at of from via using against about within under over through by".split(" "),
);
const PARTICLES: ReadonlySet<string> = new Set(["up", "out", "down", "back", "off", "over"]);

/** A part that only opens a condition ("if they fail") belongs to the part after it. */
const CONDITION_OPENER = /^(?:if|when|whenever|should|in case|unless|once)\b/i;
/** "For each region, …": a scope that applies to every item after it. */
const SCOPE = /^(?:for|in|on|across) (?:each|every|all)\b/i;

function joinConditions(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && CONDITION_OPENER.test(part) && !part.includes(",")) {
      out.push(`${part}, ${next}`);
      i++;
    } else out.push(part);
  }
  return out;
}

/** "if it fails, page the on-call engineer": a condition, then an action — a step of its own. */
function conditionalAction(part: string): boolean {
  const comma = part.indexOf(",");
  return comma > 0 && CONDITION_OPENER.test(part) && startsWithVerb(words(part.slice(comma + 1)));
}

/** The verb of a clause plus its particle ("set up"), when it starts with an imperative. */
function verbPhrase(ws: readonly string[]): string[] | null {
  if (ws.length === 0 || !startsWithVerb(ws)) return null;
  return ws.length > 1 && PARTICLES.has(ws[1]!.toLowerCase()) ? ws.slice(0, 2) : ws.slice(0, 1);
}

/**
 * What a list's header or an action lends to the bare noun items after it: everything up to a
 * final preposition ("Write unit tests for"), else its verb phrase ("Migrate"), else nothing.
 *
 * @internal
 */
export function leadOf(clause: string, trailingOnly = false): string | null {
  const ws = words(clause);
  if (ws.length === 0) return null;
  if (PREPOSITIONS.has(ws[ws.length - 1]!.toLowerCase()) && verbPhrase(ws) !== null) return ws.join(" ");
  if (!trailingOnly) {
    for (let i = ws.length - 2; i >= 1; i--) {
      if (PREPOSITIONS.has(ws[i]!.toLowerCase()) && verbPhrase(ws) !== null)
        return ws.slice(0, i + 1).join(" ");
    }
  }
  return verbPhrase(ws)?.join(" ") ?? null;
}

function hasPreposition(part: string, from: number): number {
  const ws = words(part);
  for (let i = from; i < ws.length - 1; i++) if (PREPOSITIONS.has(ws[i]!.toLowerCase())) return i;
  return -1;
}

/**
 * Splits an enumeration ("A, B and C", "A; B; C") into work items. A part starting with a known
 * verb is an action; a bare noun part borrows the lead of the action before it (or `lead`, the
 * header's verb): "Write tests for the parser, the lexer" → "Write tests for the lexer". A
 * shared tail is distributed too: "Deploy the api and the worker to staging". Verbs that take
 * their objects jointly ("compare A and B") and "between … and" are not split.
 *
 * @param text - the clause
 * @param masked - its mask
 * @param lead - what bare noun items borrow before any action
 * @internal
 */
export function splitEnumeration(text: string, masked: string, lead: string | null): Enumeration | null {
  let parts = splitOn(text, masked, SEMICOLONS);
  if (parts.length < 2) parts = joinConditions(splitOn(text, masked, COMMAS_AND));
  if (parts.length < 2) return null;
  if (/\b(?:between|both)\b/.test(masked)) return null;
  // "…", "etc": not work.
  parts = parts.filter((p) => tidy(p).length > 0);
  if (parts.length < 2) return null;
  const scope = SCOPE.test(parts[0]!) ? ` ${decapitalize(parts.shift()!)}` : "";
  if (parts.length < 2) return null;
  const constraints = parts.filter((p) => CONSTRAINT.test(p.toLowerCase()));
  const work = parts.filter((p) => !CONSTRAINT.test(p.toLowerCase()));
  if (work.length === 0) return null;
  // true: an action; false: a noun phrase; null: "order catering" / "order history", either.
  const reading = work.map((p, i): boolean | null => {
    const ws = words(p);
    if (parseUndo(p) !== null || conditionalAction(p)) return true;
    if (verbPhrase(ws) === null) return false;
    // After the first part, "rate limiting" or "test coverage" is a noun unless an object follows.
    const verb = verbOf(ws[0]!);
    if (verb === undefined || i === 0 || !NOUN_LIKE_VERBS.has(verb) || ws[0]!.toLowerCase() !== verb)
      return true;
    const next = ws[1]?.toLowerCase();
    if (next === undefined) return false;
    return OBJECT_STARTERS.has(next) || /^\d/.test(next) ? true : null;
  });
  // Among two or more other actions, an ambiguous part is one more action ("Pick a venue, send
  // the invitations and order catering"); beside nouns it is a noun ("the users, order history").
  const sure = reading.filter((r) => r === true).length;
  const isAction = reading.map((r) => r ?? sure >= 2);
  const actions = isAction.filter(Boolean).length;
  const firstVerb = verbOf(words(work[0]!)[0] ?? "");
  if (actions === 1 && isAction[0] && firstVerb !== undefined && JOINT_VERBS.has(firstVerb)) return null;

  // A shared tail: only the last part has a preposition, and it is a bare noun part.
  let tail = "";
  const last = work.length - 1;
  if (work.length >= 2 && !isAction[last] && actions <= 1) {
    const at = hasPreposition(work[last]!, 1);
    const earlierClean = work.slice(0, last).every((p, i) => hasPreposition(p, isAction[i] ? 1 : 0) < 0);
    if (at > 0 && earlierClean && (actions === 1 || lead !== null)) {
      const ws = words(work[last]!);
      tail = ` ${ws.slice(at).join(" ")}`;
      work[last] = ws.slice(0, at).join(" ");
    }
  }

  const items: string[] = [];
  const seen = new Set<string>();
  let head = lead;
  for (let i = 0; i < work.length; i++) {
    const part = work[i]!;
    let item: string;
    if (isAction[i]) {
      head = leadOf(part);
      item = capitalize(part);
    } else {
      item = head === null ? capitalize(part) : `${capitalize(head)} ${part}`;
    }
    if (tail.length > 0 && (isAction[i] || head !== null)) item += tail;
    item += scope;
    const key = item.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      items.push(item);
    }
  }
  if (items.length < 2) return null;
  return { items, actions, constraints, allActions: actions === work.length };
}
