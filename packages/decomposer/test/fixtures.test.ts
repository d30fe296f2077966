import { readFileSync } from "node:fs";
import type { Complexity } from "@echelon/core";
import { validatePlan } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { analyzeComplexity, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS, isPrefixed, nodes } from "./helpers.js";

interface Fixture {
  readonly text: string;
  readonly complexity: Complexity;
  readonly pattern: string | null;
  readonly steps: readonly string[];
  readonly priority?: number;
  /** Capabilities of each step (of the root when there are no steps). */
  readonly capabilities?: readonly (readonly string[])[];
  /** Description of each step's compensation, in a saga. */
  readonly compensations?: readonly string[];
}

const fixtures: Fixture[] = JSON.parse(
  readFileSync(new URL("./fixtures/tasks.json", import.meta.url), "utf8"),
);
const decomposer = new TaskDecomposer();
const options = { maxDepth: 3, patterns: ALL_PATTERNS };

describe("real-world task descriptions (fixtures/tasks.json)", () => {
  it("holds at least 80 descriptions, the seed's examples among them", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(80);
    const texts = fixtures.map((f) => f.text);
    expect(texts).toContain("Implement OAuth2 authentication with multiple providers");
    expect(texts.some((t) => t.startsWith("Conduct comprehensive literature review on AI safety"))).toBe(
      true,
    );
    expect(texts.some((t) => t.startsWith("Migrate entire platform: 50 microservices"))).toBe(true);
  });

  it.each(fixtures.map((f) => [f.text, f] as const))("%s", (_text, fixture) => {
    expect(analyzeComplexity(fixture.text)).toBe(fixture.complexity);
    const plan = decomposer.decompose(fixture.text, options);
    expect(plan.root.pattern).toBe(fixture.pattern);
    expect(plan.root.children.map((c) => c.description)).toEqual(fixture.steps);
    expect(plan.root.priority).toBe(fixture.priority ?? 0);
    if (fixture.capabilities !== undefined) {
      const steps = plan.root.children.length > 0 ? plan.root.children : [plan.root];
      expect(steps.map((s) => s.capabilities)).toEqual(fixture.capabilities);
    }
    if (fixture.compensations !== undefined) {
      expect(plan.root.children.map((c) => c.compensate?.description)).toEqual(fixture.compensations);
    }
    expect(plan.depth).toBeLessThanOrEqual(3);
    expect(validatePlan(plan, options)).toBeTruthy();
    for (const node of nodes(plan)) {
      for (const child of node.children) expect(isPrefixed(child.description, node.description)).toBe(false);
    }
  });
});

describe("the seed's examples in detail", () => {
  it("migrates the platform as a saga of fan-outs whose sizes follow the numbers", () => {
    const plan = decomposer.decompose(
      "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime",
      { maxDepth: 2, patterns: ALL_PATTERNS },
    );
    expect(plan.root.pattern).toBe("saga");
    expect(plan.root.metadata.constraints).toEqual(["zero downtime"]);
    const [services, databases, endpoints] = plan.root.children;
    expect(services!.compensate?.description).toBe("Revert the migration of 50 microservices");
    expect(services!.pattern).toBe("mapreduce");
    // With one level left, each quantity becomes at most 10 batches that cover every item once.
    expect(services!.children.map((c) => c.input)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({
        unit: "microservice",
        from: i * 5 + 1,
        to: i * 5 + 5,
        of: 50,
      })),
    );
    expect(databases!.children).toHaveLength(10);
    expect(endpoints!.children.map((c) => c.description).slice(0, 2)).toEqual([
      "Migrate API endpoints 1–50",
      "Migrate API endpoints 51–100",
    ]);
    expect(endpoints!.children.every((c) => c.children.length === 0)).toBe(true);
  });

  it("runs the literature review as a pipeline whose search step fans out", () => {
    const plan = decomposer.decompose(
      "Conduct comprehensive literature review on AI safety: search 10,000+ papers, extract key findings, analyze trends, identify gaps, generate report",
      options,
    );
    const search = plan.root.children[0]!;
    expect(search.input).toEqual({ unit: "paper", from: 1, to: 10000, of: 10000, atLeast: true });
    expect(search.children[0]!.description).toBe("Search papers 1–1,000");
    expect(search.children[0]!.children[0]!.description).toBe("Search papers 1–100");
    expect(plan.root.children.map((c) => c.capabilities)).toEqual([
      [],
      ["data", "writing"],
      ["analysis"],
      ["analysis"],
      ["writing"],
    ]);
  });
});
