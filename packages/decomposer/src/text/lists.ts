import { clean } from "./scan.js";

/** Items found in a list, with the text before them. @internal */
export interface ListSplit {
  readonly header: string;
  readonly items: readonly string[];
  /** True for numbered or lettered markers, false for bullets. */
  readonly numbered: boolean;
}

const LINE_ITEM = /^\s*(?:([-*\u2022+])|(\d{1,3})[.)]|\((\d{1,3})\)|([a-z])\))\s+(.*)$/;

/**
 * Multi-line lists: lines starting with a bullet (`-`, `*`, `•`, `+`) or a marker (`1.`, `1)`,
 * `(1)`, `a)`). Lines that follow an item without a marker continue it. Needs two items.
 *
 * @internal
 */
export function splitLineList(text: string): ListSplit | null {
  if (!text.includes("\n")) return null;
  const header: string[] = [];
  const items: string[] = [];
  let numbered = false;
  let bullets = false;
  for (const line of text.split(/\r?\n/)) {
    const m = LINE_ITEM.exec(line);
    if (m !== null) {
      if (m[1] !== undefined) bullets = true;
      else numbered = true;
      items.push(m[5]!);
    } else if (items.length === 0) {
      header.push(line);
    } else if (line.trim().length > 0) {
      items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`;
    }
  }
  const cleaned = items.map(clean).filter((i) => i.length > 0);
  if (cleaned.length < 2) return null;
  return { header: clean(header.join(" ")), items: cleaned, numbered: numbered && !bullets };
}

const INLINE_MARKER = /(?:^|[\s:;,])\(?(\d{1,2})[.)]\s+/g;

/**
 * Inline numbered lists: "1) … 2) … 3) …" or "1. … 2. …" in one line. The numbers must run
 * 1, 2, 3, … in order; text before "1" is the header.
 *
 * @internal
 */
export function splitInlineList(text: string, masked: string): ListSplit | null {
  const starts: { at: number; end: number }[] = [];
  INLINE_MARKER.lastIndex = 0;
  for (let m = INLINE_MARKER.exec(masked); m !== null; m = INLINE_MARKER.exec(masked)) {
    if (Number(m[1]) !== starts.length + 1) continue;
    const at = m.index + (/^[\s:;,]/.test(m[0]) ? 1 : 0);
    starts.push({ at, end: m.index + m[0].length });
  }
  if (starts.length < 2) return null;
  const items = starts.map((s, i) => clean(text.slice(s.end, starts[i + 1]?.at ?? text.length)));
  if (items.some((i) => i.length === 0)) return null;
  return { header: clean(text.slice(0, starts[0]!.at)), items, numbered: true };
}
