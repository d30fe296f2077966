/**
 * Text scanning helpers: masking of bracketed and quoted spans (so separators inside them are
 * ignored) and splitting at separator matches found on the masked text.
 *
 * @internal
 */

const OPEN = "([{";
const CLOSE = ")]}";

/**
 * A copy of `text`, lower-cased, where every character inside brackets or double quotes is
 * replaced by `_`. Same length as `text`, so indices carry over.
 *
 * @internal
 */
export function mask(text: string): string {
  let depth = 0;
  let quoted = false;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "\u201c" || ch === "\u201d") {
      quoted = !quoted;
      out += ch;
      continue;
    }
    if (!quoted && OPEN.includes(ch)) {
      depth++;
      out += ch;
      continue;
    }
    if (!quoted && depth > 0 && CLOSE.includes(ch)) {
      depth--;
      out += ch;
      continue;
    }
    out += depth > 0 || quoted ? "_" : ch.toLowerCase();
  }
  return out;
}

/**
 * Splits `text` at every match of `separator` (a global regex) on its mask, trimming parts,
 * dropping empty ones and trailing sentence punctuation.
 *
 * @internal
 */
export function splitOn(text: string, masked: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let from = 0;
  separator.lastIndex = 0;
  for (let m = separator.exec(masked); m !== null; m = separator.exec(masked)) {
    if (m[0].length === 0) {
      separator.lastIndex++;
      continue;
    }
    parts.push(text.slice(from, m.index));
    from = m.index + m[0].length;
  }
  parts.push(text.slice(from));
  return parts.map(clean).filter((p) => p.length > 0);
}

/** Trims whitespace, and separators or sentence punctuation left at either end. @internal */
export function clean(part: string): string {
  return part
    .replace(/^[\s,;:.–—-]+/, "")
    .replace(/[\s,;:.!]+$/, "")
    .trim();
}

/** Upper-cases the first letter. @internal */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Lower-cases the first letter unless the first word looks like a name or acronym. @internal */
export function decapitalize(text: string): string {
  const first = /^\S+/.exec(text)?.[0] ?? "";
  if (first.length > 1 && first.slice(1) !== first.slice(1).toLowerCase()) return text;
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}

/** Words of a text (letters, digits and inner hyphens or apostrophes). @internal */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Words a step may not start with: conjunctions and prepositions left over from a split. */
const OPENING_JUNK: ReadonlySet<string> = new Set(
  "and or but nor then so yet plus & also etc for with to into of from via at about than per".split(" "),
);

/** Words a step may not end with: the same, conditions cut short, articles, "etc". */
const CLOSING_JUNK: ReadonlySet<string> = new Set([
  ...OPENING_JUNK,
  ..."if when unless whether before after the a an".split(" "),
]);

/** A "word" of punctuation only ("…", "--"). */
const PUNCTUATION = /^[^\p{L}\p{N}]+$/u;

const ET_CETERA = /[\s,;]*(?:\band so (?:on|forth)\b|\betc\b\.?|…|\.\.\.)[\s.]*$/i;

function bare(word: string): string {
  return word.toLowerCase().replace(/[,;:.!?]+$/, "");
}

/**
 * A part of a split made into a well-formed step: no conjunction or preposition dangling at
 * either end ("and clean the kitchen" → "clean the kitchen", "Deploy the api to" → "Deploy the
 * api"), no trailing "etc" or "…". Verb particles ("log in", "set up", "roll back") are kept.
 * Empty when nothing is left.
 *
 * @internal
 */
export function tidy(part: string): string {
  const text = part.replace(ET_CETERA, "");
  const ws = words(text);
  let from = 0;
  let to = ws.length;
  const junk = (word: string, set: ReadonlySet<string>) => set.has(bare(word)) || PUNCTUATION.test(word);
  while (from < to && junk(ws[from]!, OPENING_JUNK)) from++;
  while (to > from && junk(ws[to - 1]!, CLOSING_JUNK)) to--;
  if (from === 0 && to === ws.length) return clean(text);
  return clean(ws.slice(from, to).join(" "));
}
