import { createHash } from "node:crypto";

/** What a worker host computes for one text. */
export interface TextStats {
  /** The file the text came from (relative to the scanned folder). */
  readonly file: string;
  readonly words: number;
  /** The five most frequent words of four letters or more, with their counts. */
  readonly topTerms: ReadonlyArray<readonly [string, number]>;
  /** SHA-256 of the text, hex, first 16 characters. */
  readonly sha256: string;
}

/**
 * Word count, top terms and checksum of a text — the real work the worker hosts do. Pure:
 * everything it needs travels in the task's input, so the host may be on another machine.
 *
 * @param file - the file's name, carried through to the result
 * @param text - its content
 * @returns the statistics
 */
export function textStats(file: string, text: string): TextStats {
  const words = text.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
  const counts = new Map<string, number>();
  for (const w of words) if (w.length >= 4) counts.set(w, (counts.get(w) ?? 0) + 1);
  const topTerms = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([w, n]) => [w, n] as const);
  return {
    file,
    words: words.length,
    topTerms,
    sha256: createHash("sha256").update(text).digest("hex").slice(0, 16),
  };
}
