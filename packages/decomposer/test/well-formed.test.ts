import type { PlanNode } from "@echelon/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inferCapabilities, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS, nodes } from "./helpers.js";

/** Everyday clauses and the joints between them: verbs the rules may not know, nouns, fillers. */
const EVERYDAY = [
  "clean the kitchen",
  "cook dinner",
  "wash the dishes",
  "water the plants",
  "have a friend check it",
  "recommend one",
  "fold the laundry",
  "book a table",
  "ship the present to grandma",
  "fix the bike",
  "train the puppy",
  "pack the suitcase",
  "renew the passport",
  "call the plumber",
  "pick up the cake",
  "the hallway",
  "the garden",
  "three rooms",
  "12 boxes",
  "1000 letters",
  "revert it if anything breaks",
  "in parallel",
  "etc",
  "…",
];
const JOINTS = [
  ", ",
  " and ",
  ", then ",
  "; ",
  " then ",
  ": ",
  ", and ",
  " → ",
  ". ",
  " for ",
  " with ",
  " to ",
];
const CODE_VOCABULARY = [
  "deploy the api",
  "write unit tests",
  "migrate the database",
  "process 1000 documents",
  "extract text",
  "analyze sentiment",
  "roll back if they fail",
  "summarize each",
  "review the pull request",
];

const clause = (words: readonly string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...JOINTS)), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.map(([w, j], i) => (i === parts.length - 1 ? w : w + j)).join(""));
const everydayText = clause(EVERYDAY);
const mixedText = clause([...EVERYDAY, ...CODE_VOCABULARY]);

/** Words a step may contain that are not in the text: numbering, roles, joining prepositions. */
const ADDED = new Set(["of", "for", "from", "to", "reviewer", "the"]);
/** Conjunctions, and prepositions that cannot be verb particles, that may not open or close a step. */
const DANGLING = new Set(
  "and or but nor then plus & if when for with to into of from via at about than per before after".split(" "),
);

const norm = (w: string) => w.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The steps a plan made out of the text: every node but the root, compensations included not. */
function steps(root: PlanNode): PlanNode[] {
  return nodes({ root } as never).filter((n) => n !== root);
}

function fromInput(step: string, input: readonly string[]): boolean {
  return step
    .split(/\s+/)
    .map(norm)
    .every((w) => {
      if (w.length === 0 || /^\d+$/.test(w) || ADDED.has(w)) return true;
      const stem = w.slice(0, Math.max(3, w.length - 3));
      return input.some((x) => x.startsWith(stem));
    });
}

const decomposer = new TaskDecomposer({ cacheSize: 0 });
const plan = (text: string, maxDepth: number) =>
  decomposer.decompose(text, { maxDepth, patterns: ALL_PATTERNS });

describe("steps are well-formed phrases of the text", () => {
  it("every step is a non-empty phrase made of words from the input", () => {
    fc.assert(
      fc.property(mixedText, fc.integer({ min: 1, max: 4 }), (text, maxDepth) => {
        const input = text
          .split(/[\s,;:.→]+/)
          .map(norm)
          .filter(Boolean);
        for (const step of steps(plan(text, maxDepth).root)) {
          expect(step.description.trim().length).toBeGreaterThan(0);
          expect(fromInput(step.description, input), `${step.description} ⟵ ${text}`).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("no step starts or ends with a dangling preposition or conjunction", () => {
    fc.assert(
      fc.property(mixedText, fc.integer({ min: 1, max: 4 }), (text, maxDepth) => {
        for (const step of steps(plan(text, maxDepth).root)) {
          const words = step.description.toLowerCase().split(/\s+/);
          expect(DANGLING.has(words[0]!), `"${step.description}" ⟵ ${text}`).toBe(false);
          expect(DANGLING.has(words[words.length - 1]!), `"${step.description}" ⟵ ${text}`).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("never lends a verb to a clause that has its own (no 'Clean cook dinner')", () => {
    fc.assert(
      fc.property(everydayText, (text) => {
        for (const step of steps(plan(text, 3).root)) {
          const [first, second] = step.description.toLowerCase().split(/\s+/);
          expect(["clean", "wash", "cook", "water", "fold"].includes(second ?? "") && first !== "the").toBe(
            false,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("capabilities", () => {
  it("are never inferred without a trigger word in the step itself", () => {
    fc.assert(
      fc.property(mixedText, fc.integer({ min: 0, max: 4 }), (text, maxDepth) => {
        for (const node of nodes(plan(text, maxDepth))) {
          const question = (node.input as { question?: unknown } | null)?.question;
          const own = `${node.description} ${typeof question === "string" ? question : ""}`;
          const possible = inferCapabilities(own, undefined, 32);
          for (const capability of node.capabilities) expect(possible).toContain(capability);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("are not guessed from everyday words (cleaning a kitchen is not data work)", () => {
    fc.assert(
      fc.property(everydayText, fc.integer({ min: 0, max: 4 }), (text, maxDepth) => {
        for (const node of nodes(plan(text, maxDepth))) {
          if (node.children.length === 0 && !node.description.startsWith("Reviewer"))
            expect(node.capabilities, node.description).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("decomposition", () => {
  it("is deterministic: the same text gives the same plan, from any decomposer, cached or not", () => {
    fc.assert(
      fc.property(mixedText, fc.integer({ min: 0, max: 5 }), (text, maxDepth) => {
        const options = { maxDepth, patterns: ALL_PATTERNS };
        const first = new TaskDecomposer().decompose(text, options);
        expect(new TaskDecomposer({ cacheSize: 0 }).decompose(text, options)).toEqual(first);
        expect(decomposer.decompose(text, options)).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });
});
