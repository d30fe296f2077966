import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";

/** What reading one page found. JSON (it travels through results, events and the journal). */
export interface PageFacts {
  /** The page, relative to the docs folder, with `/` separators. */
  readonly path: string;
  /** Text of its first `# ` heading, or `null`. */
  readonly title: string | null;
  /** Words outside code blocks. */
  readonly words: number;
  /** Pages of the docs folder it links to (relative Markdown links, anchors dropped), in order, once each. */
  readonly links: readonly string[];
  /** Relative links to files that do not exist, with their line. */
  readonly broken: ReadonlyArray<{ readonly target: string; readonly line: number }>;
  /** Relative links to existing files outside the docs folder (listed, not followed). */
  readonly outside: readonly string[];
}

/** `[text](target "title")` (the text may span lines) and reference definitions `[label]: target`. */
const INLINE = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^ {0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+"[^"]*")?[ \t]*$/gm;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The page with fenced code blocks and inline code blanked out, lines and offsets kept. */
function prose(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split("\n")
    .map((text) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
      if (marker !== undefined && (fence === null || marker[0] === fence)) {
        fence = fence === null ? marker[0]! : null;
        return " ".repeat(text.length);
      }
      if (fence !== null) return " ".repeat(text.length);
      return text.replace(/`[^`]*`/g, (code) => " ".repeat(code.length));
    })
    .join("\n");
}

/** The targets of a page's links with their lines, code left out. */
function linkTargets(markdown: string): Array<{ target: string; line: number }> {
  const text = prose(markdown);
  const lineAt = (index: number) => text.slice(0, index).split("\n").length;
  const found = [...text.matchAll(INLINE), ...text.matchAll(REFERENCE)].map((m) => ({
    target: m[1]!,
    line: lineAt(m.index! + m[0].indexOf(m[1]!)),
    at: m.index!,
  }));
  return found.sort((a, b) => a.at - b.at).map(({ target, line }) => ({ target, line }));
}

/** The words of a page outside fenced code. */
function countWords(markdown: string): number {
  const prose = markdown.replace(/^\s*(`{3,}|~{3,})[\s\S]*?^\s*\1/gm, "");
  return prose.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

const posix = (path: string) => path.split(sep).join("/");

/**
 * Reads one page of a docs folder — a real file read — and sorts its relative links: pages of
 * the folder (to crawl), missing files (broken), files outside the folder (listed). Links with
 * a scheme (`https:`, `mailto:`) and same-page anchors are not the crawl's business.
 *
 * @param docsDir - the docs folder (absolute)
 * @param page - the page, relative to `docsDir`
 * @returns what the page says and where it points
 */
export function readPage(docsDir: string, page: string): PageFacts {
  const file = join(docsDir, page);
  const markdown = readFileSync(file, "utf8");
  const links: string[] = [];
  const broken: Array<{ target: string; line: number }> = [];
  const outside: string[] = [];
  for (const { target, line } of linkTargets(markdown)) {
    if (SCHEME.test(target) || target.startsWith("#") || isAbsolute(target)) continue;
    const bare = decodeURI(target.replace(/[#?].*$/, ""));
    if (bare === "") continue;
    const resolved = normalize(join(dirname(file), bare));
    const inDocs = posix(relative(docsDir, resolved));
    if (!existsSync(resolved)) broken.push({ target, line });
    else if (inDocs.startsWith("../")) outside.push(posix(relative(dirname(docsDir), resolved)));
    else if (inDocs.endsWith(".md") && statSync(resolved).isFile() && !links.includes(inDocs))
      links.push(inDocs);
  }
  const title = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1] ?? null;
  return {
    path: posix(page),
    title,
    words: countWords(markdown),
    links,
    broken,
    outside: [...new Set(outside)],
  };
}
