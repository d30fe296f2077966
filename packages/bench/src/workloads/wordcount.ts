import { createHash } from "node:crypto";
import { functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual } from "./bodies.js";
import { echelonTrial, type Timing } from "./long-lived.js";
import { addCounts, canonicalCounts, countWords, readmeTexts } from "./readme-corpus.js";

function capOf(options: Readonly<Record<string, unknown>>): number {
  return typeof options.cap === "number" ? options.cap : 4;
}

function plainLoop(texts: readonly string[]): Record<string, number> {
  const total = new Map<string, number>();
  for (const text of texts) addCounts(total, countWords(text));
  return Object.fromEntries(total);
}

function outputHash(counts: Readonly<Record<string, number>>): string {
  return createHash("sha1")
    .update(JSON.stringify(canonicalCounts(counts)))
    .digest("hex")
    .slice(0, 12);
}

function figures(
  texts: readonly string[],
  counts: Readonly<Record<string, number>>,
): Record<string, number | string> {
  return {
    files: texts.length,
    bytes: texts.reduce((a, t) => a + t.length, 0),
    distinctWords: Object.keys(counts).length,
    outputHash: outputHash(counts),
  };
}

const loop: VariantFactory = async (size) => {
  const texts = readmeTexts(size);
  return async () => ({
    run: async () => plainLoop(texts),
    finish: (counts) => figures(texts, counts as Record<string, number>),
  });
};

const limited: VariantFactory = async (size, options) => {
  const texts = readmeTexts(size);
  const expected = canonicalCounts(plainLoop(texts));
  return async () => {
    const limit = pLimit(capOf(options));
    return {
      async run() {
        const parts = await Promise.all(texts.map((t) => limit(async () => countWords(t))));
        const total = new Map<string, number>();
        for (const part of parts) addCounts(total, part);
        return Object.fromEntries(total);
      },
      finish(output) {
        const counts = output as Record<string, number>;
        expectEqual("wordcount/p-limit", canonicalCounts(counts), expected);
        return { ...figures(texts, counts), identical: true };
      },
    };
  };
};

const echelon =
  (timing: Timing): VariantFactory =>
  async (size, options) => {
    const texts = readmeTexts(size);
    const expected = canonicalCounts(plainLoop(texts));
    const spec = {
      id: "wordcount",
      description: `word count over ${texts.length} README files`,
      pattern: "mapreduce",
      patternOptions: { reducer: "merge-counts" },
      children: texts.map((text, i) => ({
        id: `f${i}`,
        description: `count words of file ${i}`,
        input: text,
      })),
    };
    const agent = functionAgent({ name: "counter" }, (work) => countWords(work.input as string));
    const what = `wordcount/echelon${timing === "run-only" ? "-run-only" : ""}`;
    return echelonTrial(
      timing,
      what,
      "echelon",
      { maxDepth: 1, maxAgentsPerLevel: [1, capOf(options)], agents: [agent] },
      spec,
      (output) => {
        const counts = output as Record<string, number>;
        expectEqual(what, canonicalCounts(counts), expected);
        return { ...figures(texts, counts), identical: true };
      },
    );
  };

/**
 * W3 — map-reduce word count over the README files in `node_modules` (size = most files):
 * `loop` (a plain loop), `p-limit` (cap 4) and `echelon` (map-reduce, every leaf returns its
 * file's count map, merged by `merge-counts`; the whole call on a long-lived orchestrator) and
 * `echelon-run-only` (the run alone); the outputs are checked identical to the plain loop's.
 */
export const wordcountWorkload: Workload = {
  name: "wordcount",
  variants: {
    loop,
    "p-limit": limited,
    echelon: echelon("whole-call"),
    "echelon-run-only": echelon("run-only"),
  },
};
