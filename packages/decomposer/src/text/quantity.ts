import { LABEL_WORDS, MEASURE_UNITS, NUMBER_WORDS, VAGUE } from "./lexicon.js";

/** A counted unit of work in a clause: "500 API endpoints", "10,000+ papers", "multiple providers". */
export interface Quantity {
  /** Text before the quantity phrase. */
  readonly before: string;
  /** Text after it. */
  readonly after: string;
  /** How many. */
  readonly count: number;
  /** "10,000+": at least that many. */
  readonly atLeast: boolean;
  /** The unit, singular and plural ("API endpoint", "API endpoints"). */
  readonly singular: string;
  readonly plural: string;
  /** True for "multiple / several …" without a number. */
  readonly vague: boolean;
}

/** Largest count taken literally; larger numbers are clamped. */
export const MAX_COUNT = 1_000_000_000;

const NUMBER =
  /\b(\d{1,3}(?:,\d{3})+|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|hundred|dozen)(\+)?\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?/gi;

function isPlural(word: string): boolean {
  const lower = word.toLowerCase();
  if (word === word.toUpperCase()) return false; // an acronym: AWS, DNS
  return (
    lower.length > 2 &&
    lower.endsWith("s") &&
    !lower.endsWith("ss") &&
    !lower.endsWith("us") &&
    !lower.endsWith("is")
  );
}

/**
 * Singular form of an English plural noun (regular forms only).
 *
 * @internal
 */
export function singular(word: string): string {
  if (/ies$/i.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh|z)es$/i.test(word)) return word.slice(0, -2);
  if (/s$/i.test(word) && !/ss$/i.test(word)) return word.slice(0, -1);
  return word;
}

function parseCount(raw: string): number {
  const named = NUMBER_WORDS.get(raw.toLowerCase());
  if (named !== undefined) return named;
  return Math.min(MAX_COUNT, Number(raw.replaceAll(",", "")));
}

/**
 * The first counted quantity of two or more items in a clause, or a vague plural
 * ("multiple providers") when there is none. Labels ("top 10", "version 2", "Python 3") and
 * measures ("3 weeks", "50 GB") are not quantities.
 *
 * @param clause - one clause
 * @param vagueCount - how many items a vague plural stands for
 * @internal
 */
export function findQuantity(clause: string, vagueCount: number): Quantity | null {
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(clause); m !== null; m = NUMBER.exec(clause)) {
    const count = parseCount(m[1]!);
    if (!(count >= 2)) continue;
    const previous = /([\w$#]+)\s*$/.exec(clause.slice(0, m.index))?.[1] ?? "";
    if (LABEL_WORDS.has(previous.toLowerCase()) || previous.startsWith("$") || previous.startsWith("#"))
      continue;
    if (/[$#]\s*$/.test(clause.slice(0, m.index))) continue;
    const w1 = m[3]!;
    const w2 = m[4];
    if (MEASURE_UNITS.has(w1.toLowerCase())) continue;
    let unitWords: string[];
    if (w2 !== undefined && isPlural(w2) && !isPlural(w1) && !MEASURE_UNITS.has(w2.toLowerCase()))
      unitWords = [w1, w2];
    else if (isPlural(w1)) unitWords = [w1];
    else continue;
    const plural = unitWords.join(" ");
    const lastWord = unitWords[unitWords.length - 1]!;
    const singularUnit = [...unitWords.slice(0, -1), singular(lastWord)].join(" ");
    const w1End = m[0].indexOf(w1, m[1]!.length) + w1.length;
    const phraseEnd = m.index + (unitWords.length === 2 ? m[0].length : w1End);
    return {
      before: clause.slice(0, m.index),
      after: clause.slice(phraseEnd),
      count,
      atLeast: m[2] === "+",
      singular: singularUnit,
      plural,
      vague: false,
    };
  }
  const vague = VAGUE.exec(clause.toLowerCase());
  if (vague !== null && vagueCount >= 2) {
    const plural = clause.slice(
      vague.index + vague[0].length - vague[1]!.length,
      vague.index + vague[0].length,
    );
    return {
      before: clause.slice(0, vague.index),
      after: clause.slice(vague.index + vague[0].length),
      count: vagueCount,
      atLeast: false,
      singular: singular(plural),
      plural,
      vague: true,
    };
  }
  return null;
}

/** "1,000" style formatting of a count. @internal */
export function formatCount(n: number): string {
  // Hand-rolled: toLocaleString goes through ICU and costs microseconds per call.
  const digits = String(n);
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}
