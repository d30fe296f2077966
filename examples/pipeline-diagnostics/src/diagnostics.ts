/** One translated diagnostic message. */
export interface Entry {
  /** The key, e.g. `A_0_modifier_cannot_be_used_here_1042` (English text, then the code). */
  readonly key: string;
  /** The diagnostic code (the key's numeric suffix). */
  readonly code: number;
  /** The translation. */
  readonly text: string;
}

/** A translation that does not fit its key. */
export interface Issue {
  readonly key: string;
  readonly problem: string;
}

/**
 * Parses the JSON text of a `diagnosticMessages.generated.json` file into entries.
 *
 * @throws Error when the text is not a JSON object of strings, or a key has no numeric code
 */
export function parseDiagnostics(text: string): Entry[] {
  const data = JSON.parse(text) as unknown;
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new Error("expected a JSON object");
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => {
    const code = /_(\d+)$/.exec(key);
    if (code === null || typeof value !== "string") throw new Error(`entry ${key} has no code or no text`);
    return { key, code: Number(code[1]), text: value };
  });
}

/**
 * Placeholder numbers a key announces: the words `0`, `1` … of its English text, counted only
 * while consecutive from 0 (so "ECMAScript_5" is a version, not a placeholder).
 */
function keyPlaceholders(key: string): number[] {
  const words = new Set(key.replace(/_\d+$/, "").split("_"));
  const out: number[] = [];
  while (words.has(String(out.length))) out.push(out.length);
  return out;
}

/** TypeScript cuts keys at 100 characters of English text; their placeholders may be cut too. */
const isTruncated = (key: string) => key.replace(/_\d+$/, "").length >= 99;

/** Placeholder numbers a translation uses: `{0}`, `{1}` … */
function textPlaceholders(text: string): number[] {
  return [...new Set([...text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort();
}

/**
 * Checks every translation against its key: it must be non-empty and use exactly the
 * placeholders the key announces (at least those, for keys TypeScript truncated).
 *
 * @returns the problems found
 */
export function validateEntries(entries: readonly Entry[]): Issue[] {
  const issues: Issue[] = [];
  for (const e of entries) {
    if (e.text.trim() === "") {
      issues.push({ key: e.key, problem: "empty translation" });
      continue;
    }
    const want = keyPlaceholders(e.key);
    const have = textPlaceholders(e.text);
    const fits = isTruncated(e.key) ? want.every((n) => have.includes(n)) : want.join() === have.join();
    if (!fits)
      issues.push({
        key: e.key,
        problem: `placeholders {${have.join(",")}} but the key announces {${want.join(",")}}`,
      });
  }
  return issues;
}

const RANGES: ReadonlyArray<readonly [number, number, string]> = [
  [1000, 1999, "syntax"],
  [2000, 2999, "semantic"],
  [4000, 4999, "declaration emit"],
  [5000, 5999, "compiler options"],
  [6000, 6999, "command line and messages"],
  [7000, 7999, "implicit any and suggestions"],
  [8000, 8999, "JavaScript and JSDoc"],
  [17000, 18999, "JSX and more"],
  [90000, 99999, "code fixes and refactorings"],
];

/** Name of a code's range (`syntax`, `semantic`, …), `other` outside the known ranges. */
export function rangeOf(code: number): string {
  return RANGES.find(([lo, hi]) => code >= lo && code <= hi)?.[2] ?? "other";
}

/** Per range: how many messages and their mean length in characters. */
export function summarise(
  entries: readonly Entry[],
): Record<string, { messages: number; meanLength: number }> {
  const acc = new Map<string, { messages: number; chars: number }>();
  for (const e of entries) {
    const r = acc.get(rangeOf(e.code)) ?? { messages: 0, chars: 0 };
    r.messages++;
    r.chars += e.text.length;
    acc.set(rangeOf(e.code), r);
  }
  return Object.fromEntries(
    [...acc]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, { messages: v.messages, meanLength: Math.round(v.chars / v.messages) }]),
  );
}
