import type { PlanNode } from "@echelon/core";
import { validatePlan } from "@echelon/core/plugin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeComplexity, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS, leaves, nodes } from "./helpers.js";

const DOCUMENTS =
  "Process 1000 documents simultaneously: extract text, analyze sentiment, classify content, generate summaries";
const STEPS = ["Extract text", "Analyze sentiment", "Classify content", "Generate summaries"];

interface Items {
  readonly unit: string;
  readonly from: number;
  readonly to: number;
  readonly of: number;
}

const itemsOf = (node: PlanNode) => node.metadata.items as Items | undefined;
const decompose = (text: string, maxDepth: number, options = {}) =>
  new TaskDecomposer(options).decompose(text, { maxDepth, patterns: ALL_PATTERNS });

/** For each step, the item ranges its leaves cover, in order. */
function coverage(root: PlanNode): Map<string, [number, number][]> {
  const byStep = new Map<string, [number, number][]>();
  for (const leaf of leaves(root)) {
    const items = itemsOf(leaf);
    if (items === undefined) continue;
    const step = STEPS.find((s) => leaf.description.startsWith(s)) ?? "?";
    byStep.set(step, [...(byStep.get(step) ?? []), [items.from, items.to]]);
  }
  return byStep;
}

function expectExactCover(ranges: readonly [number, number][], count: number): void {
  expect(ranges[0]![0]).toBe(1);
  expect(ranges.at(-1)![1]).toBe(count);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1);
}

describe("a stated quantity of a stated object fans the per-item steps out (issue 18)", () => {
  it("runs the steps as a pipeline per group of documents, under a mapreduce over the documents", () => {
    const plan = decompose(DOCUMENTS, 2);
    expect(plan.root.pattern).toBe("mapreduce");
    expect(plan.root.input).toEqual({ unit: "document", from: 1, to: 1000, of: 1000 });
    expect(plan.root.children).toHaveLength(10);
    const first = plan.root.children[0]!;
    expect(first.description).toBe("Process documents 1–100");
    expect(first.input).toEqual({ unit: "document", from: 1, to: 100, of: 1000 });
    expect(first.pattern).toBe("pipeline");
    expect(first.children.map((c) => c.description)).toEqual([
      "Extract text from documents 1–100",
      "Analyze sentiment for documents 1–100",
      "Classify content for documents 1–100",
      "Generate summaries for documents 1–100",
    ]);
    expect(first.children.map(itemsOf)).toEqual(
      Array(4).fill({ unit: "document", from: 1, to: 100, of: 1000 }),
    );
    expect(validatePlan(plan, { maxDepth: 2, patterns: ALL_PATTERNS })).toBeTruthy();
  });

  it("uses finer groups as depth allows, down to one document, within maxNodes", () => {
    const deep = decompose(DOCUMENTS, 3);
    expect(deep.leafCount).toBe(400);
    expect(deep.root.children[0]!.children[0]!.description).toBe("Process documents 1–10");
    const tiny = decompose("Process 3 invoices: extract the totals, check the VAT numbers", 3);
    expect(tiny.root.children.map((c) => c.description)).toEqual([
      "Process invoice 1",
      "Process invoice 2",
      "Process invoice 3",
    ]);
    expect(tiny.root.children[2]!.children.map((c) => c.description)).toEqual([
      "Extract the totals from invoice 3",
      "Check the VAT numbers for invoice 3",
    ]);
    const bounded = decompose(DOCUMENTS, 6, { maxNodes: 300 });
    expect(bounded.nodeCount).toBeLessThanOrEqual(300);
    for (const ranges of coverage(bounded.root).values()) expectExactCover(ranges, 1000);
  });

  it("names the item where a step referred to it ('each page', 'it'), else after the step", () => {
    const plan = decompose(
      "Translate 40 product pages: translate each page into German, have a native speaker proofread it, publish the translation",
      3,
    );
    expect(plan.root.children[3]!.children[9]!.children.map((c) => c.description)).toEqual([
      "Translate product page 40 into German",
      "Have a native speaker proofread product page 40",
      "Publish the translation for product page 40",
    ]);
  });

  it("keeps the steps and their object when there is room for one level only", () => {
    const flat = decompose(DOCUMENTS, 1);
    expect(flat.root.children[0]!.description).toBe(
      "Process documents 1–100: extract text, analyze sentiment, classify content, generate summaries",
    );
    const steps = decompose(DOCUMENTS, 1, { maxNodes: 5 });
    expect(steps.root.children.map((c) => c.description)).toEqual([
      "Extract text from documents 1–1,000",
      "Analyze sentiment for documents 1–1,000",
      "Classify content for documents 1–1,000",
      "Generate summaries for documents 1–1,000",
    ]);
  });

  it("covers every item exactly once in every step, for any count, depth and node bound", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200_000 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 20, max: 3000 }),
        (count, maxDepth, maxNodes) => {
          const text = `Process ${count} documents: extract text, analyze sentiment`;
          const plan = decompose(text, maxDepth, { maxNodes });
          expect(plan.nodeCount).toBeLessThanOrEqual(maxNodes);
          expect(plan.root.complexity).toBe(analyzeComplexity(plan.root.description, maxDepth, { maxNodes }));
          const cover = coverage(plan.root);
          expect([...cover.keys()].sort()).toEqual(["Analyze sentiment", "Extract text"]);
          for (const ranges of cover.values()) expectExactCover(ranges, count);
          for (const node of nodes(plan)) expect(node.children.length).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("leaves headers without a quantity, and items that are not actions, to the other rules", () => {
    expect(decompose("Migrate entire platform: 50 microservices, 100 databases", 3).root.pattern).toBe(
      "saga",
    );
    const hire = decompose("Hire 3 people: a designer, a writer, an editor", 3);
    expect(hire.root.children.map((c) => c.description)).toEqual([
      "Hire a designer",
      "Hire a writer",
      "Hire an editor",
    ]);
  });
});
