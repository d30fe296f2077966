import { isEchelonError } from "@echelon/core";
import { validatePlan } from "@echelon/core/plugin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeComplexity, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS, isPrefixed, nodes } from "./helpers.js";

const VOCABULARY = [
  "deploy",
  "migrate",
  "write",
  "tests",
  "review",
  "experts",
  "then",
  "and",
  ",",
  ";",
  ":",
  "→",
  "each",
  "all",
  "in parallel",
  "50",
  "10,000+",
  "3",
  "microservices",
  "papers",
  "the",
  "api",
  "database",
  "multiple",
  "providers",
  "?",
  "urgent",
  "1)",
  "2)",
  "\n- ",
  "before",
  "backing",
  "up",
  "finally",
  "vote",
  "opinions",
  "zero downtime",
  ".",
  "Implement",
  "Search",
  "Build",
  "with",
  "for",
  "to",
  "staging",
  "(",
  ")",
  '"',
  "summarize",
  "aggregate",
];

/** Texts made of the words the rules react to, so every rule fires in some combination. */
const taskText = fc
  .array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 30 })
  .map((words) => words.join(" "));

const anyText = fc.oneof(
  taskText,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
);

const patternSets = fc.constantFrom<readonly string[]>(
  ALL_PATTERNS,
  [],
  ["fork-join"],
  ["pipeline"],
  ["saga", "mapreduce"],
  ["scatter-gather"],
);

describe("any text", () => {
  const decomposer = new TaskDecomposer({ cacheSize: 0 });

  it("gives a valid plan within maxDepth, or a coded EchelonError — never another exception", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 5 }), patternSets, (text, maxDepth, patterns) => {
        let plan: ReturnType<TaskDecomposer["decompose"]>;
        try {
          plan = decomposer.decompose(text, { maxDepth, patterns });
        } catch (error) {
          expect(isEchelonError(error)).toBe(true);
          expect((error as { code: string }).code).toMatch(/^ECHELON_[A-Z]+_[A-Z_]+$/);
          return;
        }
        expect(plan.depth).toBeLessThanOrEqual(maxDepth);
        expect(validatePlan(plan, { maxDepth, patterns })).toBeTruthy();
        expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
      }),
      { numRuns: 400 },
    );
  });

  it("never makes a subtask that is its parent's text with a prefix", () => {
    fc.assert(
      fc.property(taskText, fc.integer({ min: 1, max: 4 }), (text, maxDepth) => {
        if (text.trim().length === 0) return;
        const plan = decomposer.decompose(text, { maxDepth, patterns: ALL_PATTERNS });
        for (const node of nodes(plan)) {
          for (const child of node.children) {
            expect(isPrefixed(child.description, node.description)).toBe(false);
            expect(child.description.trim().toLowerCase()).not.toBe(node.description.trim().toLowerCase());
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("agrees with analyzeComplexity on the root's complexity", () => {
    fc.assert(
      fc.property(taskText, fc.integer({ min: 0, max: 6 }), (text, maxDepth) => {
        if (text.trim().length === 0) return;
        const plan = decomposer.decompose(text, { maxDepth, patterns: ALL_PATTERNS });
        expect(plan.root.complexity).toBe(analyzeComplexity(text, maxDepth));
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(taskText, (text) => {
        if (text.trim().length === 0) return;
        const options = { maxDepth: 3, patterns: ALL_PATTERNS };
        expect(new TaskDecomposer().decompose(text, options)).toEqual(decomposer.decompose(text, options));
      }),
      { numRuns: 100 },
    );
  });
});
