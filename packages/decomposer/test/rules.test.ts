import { isEchelonError } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { analyzeComplexity, inferCapabilities, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS, leaves } from "./helpers.js";

const decomposer = new TaskDecomposer();
const decompose = (text: string, maxDepth = 3, patterns: readonly string[] = ALL_PATTERNS) =>
  decomposer.decompose(text, { maxDepth, patterns });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isEchelonError(error) ? error.code : `not an EchelonError: ${String(error)}`;
  }
  return undefined;
}

describe("quantities", () => {
  it("cover every item exactly once, with at most maxFanOut children per node", () => {
    for (const maxDepth of [1, 2, 3, 4]) {
      const plan = decompose("Resize 1,234 product images", maxDepth);
      const ranges = leaves(plan.root).map((l) => l.input as { from: number; to: number });
      expect(ranges[0]!.from).toBe(1);
      expect(ranges[ranges.length - 1]!.to).toBe(1234);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to + 1);
      const stack = [plan.root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        expect(node.children.length).toBeLessThanOrEqual(10);
        stack.push(...node.children);
      }
      expect(plan.depth).toBeLessThanOrEqual(maxDepth);
    }
  });

  it("honour a custom fan-out bound", () => {
    const plan = new TaskDecomposer({ maxFanOut: 4 }).decompose("Render 16 video clips", {
      maxDepth: 3,
      patterns: ALL_PATTERNS,
    });
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Render video clips 1–4",
      "Render video clips 5–8",
      "Render video clips 9–12",
      "Render video clips 13–16",
    ]);
  });

  it("ignore labels and measures", () => {
    for (const text of [
      "Analyze server logs for the last 30 days",
      "Find the top 10 results",
      "Port the app to Python 3",
    ]) {
      expect(decompose(text).root.children).toHaveLength(0);
    }
  });

  it("coarsen batches to stay within maxNodes", () => {
    const plan = new TaskDecomposer({ maxNodes: 200 }).decompose("Search 100,000 papers", {
      maxDepth: 5,
      patterns: ALL_PATTERNS,
    });
    expect(plan.nodeCount).toBeLessThanOrEqual(200);
    expect(leaves(plan.root).at(-1)!.input).toMatchObject({ to: 100000 });
  });
});

describe("sentences and lists", () => {
  it("makes imperative sentences the steps and keeps the other sentences as notes", () => {
    const plan = decompose(
      "The checkout is slow. Profile the checkout service. Add caching to the price lookup. Verify with a load test.",
    );
    expect(plan.root.pattern).toBe("pipeline");
    expect(plan.root.metadata).toMatchObject({ rule: "sentences", notes: ["The checkout is slow"] });
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Profile the checkout service",
      "Add caching to the price lookup",
      "Verify with a load test",
    ]);
  });

  it("lends a list header ending in a preposition to its items", () => {
    const plan = decompose("Set up alerts for:\n- the API\n- the database\n- the job queue");
    expect(plan.root.pattern).toBe("fork-join");
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Set up alerts for the API",
      "Set up alerts for the database",
      "Set up alerts for the job queue",
    ]);
  });
});

describe("patterns", () => {
  it("gives every saga step a compensating leaf", () => {
    const plan = decompose(
      "Provision a Kubernetes cluster, deploy the monitoring stack and promote the release to production",
    );
    expect(plan.root.pattern).toBe("saga");
    expect(plan.root.children.map((c) => c.compensate?.description)).toEqual([
      "Deprovision a Kubernetes cluster",
      "Roll back the deployment of the monitoring stack",
      "Demote the release to production",
    ]);
    expect(plan.root.children.every((c) => c.compensate!.children.length === 0)).toBe(true);
  });

  it("makes the reviewers of a question the children of a scatter-gather", () => {
    const plan = decompose("Ask 4 experts whether we should shard the database?");
    expect(plan.root.pattern).toBe("scatter-gather");
    expect(plan.root.children.map((c) => c.description)).toEqual([
      "Expert 1 of 4",
      "Expert 2 of 4",
      "Expert 3 of 4",
      "Expert 4 of 4",
    ]);
    expect(plan.root.children[0]!.input).toEqual({
      question: "Ask 4 experts whether we should shard the database?",
      reviewer: 1,
      of: 4,
    });
    expect(plan.root.children[0]!.capabilities).toContain("review");
    expect(plan.root.patternOptions).toEqual({});
    const vote = decompose("Let 5 voters vote on the new logo");
    expect(vote.root.pattern).toBe("scatter-gather");
    expect(vote.root.children).toHaveLength(5);
    expect(vote.root.patternOptions).toEqual({ gather: "majority" });
  });

  it("falls back deterministically when the preferred pattern is not registered", () => {
    const text = "Deploy to staging, then run smoke tests, then promote to production";
    expect(decompose(text, 2, ["pipeline", "fork-join"]).root.pattern).toBe("pipeline");
    const chained = decompose(text, 2, ["fork-join"]);
    expect(chained.root.pattern).toBe("fork-join");
    expect(chained.root.children.map((c) => c.dependsOn)).toEqual([
      [],
      ["deploy-to-staging"],
      ["run-smoke-tests"],
    ]);
    expect(chained.root.children.every((c) => c.compensate === null)).toBe(true);
  });

  it("produces one atomic task when no pattern is registered", () => {
    const plan = decompose("Write unit tests for the parser, the lexer and the printer", 3, []);
    expect(plan.nodeCount).toBe(1);
    expect(plan.root.complexity).toBe("atomic");
    expect(plan.root.metadata.complexity).toBe("simple");
  });

  it("uses the caller's pattern for every composite node, and rejects an unregistered one", () => {
    const plan = decomposer.decompose("Build the api and the worker, then deploy them", {
      maxDepth: 3,
      patterns: ALL_PATTERNS,
      pattern: "fork-join",
    });
    expect(plan.root.pattern).toBe("fork-join");
    expect(plan.root.children[0]!.pattern).toBe("fork-join");
    expect(
      codeOf(() =>
        decomposer.decompose("Build the api and the worker", {
          maxDepth: 2,
          patterns: ["pipeline"],
          pattern: "hedge",
        }),
      ),
    ).toBe("ECHELON_PATTERN_UNKNOWN");
  });

  it("keeps a composite TaskSpec as written and decomposes a leaf TaskSpec's text", () => {
    const spec = {
      description: "release",
      children: [
        { id: "a", description: "build", compensate: { description: "discard" } },
        { description: "ship" },
      ],
    };
    const kept = decomposer.decompose(spec, { maxDepth: 2, patterns: ALL_PATTERNS });
    expect(kept.root.pattern).toBe("saga");
    expect(kept.root.children.map((c) => c.description)).toEqual(["build", "ship"]);
    const leaf = decomposer.decompose(
      {
        id: "docs",
        description: "Write the README, the changelog and the migration guide",
        priority: 5,
        timeoutMs: 1000,
      },
      { maxDepth: 2, patterns: ALL_PATTERNS },
    );
    expect(leaf.root).toMatchObject({ id: "docs", priority: 5, timeoutMs: 1000, pattern: "fork-join" });
    expect(leaf.root.children.map((c) => c.description)).toEqual([
      "Write the README",
      "Write the changelog",
      "Write the migration guide",
    ]);
    expect(leaf.root.children.every((c) => c.priority === 5)).toBe(true);
  });
});

describe("capabilities, priority and complexity", () => {
  it("infers capabilities from the words of each subtask", () => {
    expect(inferCapabilities("Write unit tests for the parser")).toEqual(["testing"]);
    expect(inferCapabilities("Deploy the api to staging")).toEqual(["deployment", "coding"]);
    expect(inferCapabilities("Translate the docs", undefined, 1)).toEqual(["translation"]);
    const plain = new TaskDecomposer({ capabilities: false }).decompose("Write tests and deploy", {
      maxDepth: 2,
      patterns: ALL_PATTERNS,
    });
    expect(plain.root.children.every((c) => c.capabilities.length === 0)).toBe(true);
  });

  it("reads priority words and hands them down", () => {
    expect(
      decompose("Urgent: fix the login bug and the signup bug").root.children.map((c) => c.priority),
    ).toEqual([2, 2]);
    expect(decompose("Low priority: tidy the docs").root.priority).toBe(-1);
  });

  it("bounds complexity by maxDepth, matching the plan's root", () => {
    const text = "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime";
    expect([0, 1, 2, 3, 4, 5].map((d) => analyzeComplexity(text, d))).toEqual([
      "atomic",
      "simple",
      "moderate",
      "complex",
      "enterprise",
      "enterprise",
    ]);
    for (const d of [0, 1, 2, 3, 4])
      expect(decompose(text, d).root.complexity).toBe(analyzeComplexity(text, d));
  });
});

describe("input checks and caching", () => {
  it("rejects empty text, over-long text, a bad maxDepth and a cancelled signal with coded errors", () => {
    expect(codeOf(() => decompose("   "))).toBe("ECHELON_SPEC_INVALID");
    expect(
      codeOf(() =>
        new TaskDecomposer({ maxTextLength: 10 }).decompose("a".repeat(11), { maxDepth: 1, patterns: [] }),
      ),
    ).toBe("ECHELON_DECOMPOSER_TEXT_TOO_LONG");
    expect(codeOf(() => decompose("Fix it", -1))).toBe("ECHELON_CONFIG_INVALID");
    expect(codeOf(() => analyzeComplexity("Fix it", 1.5))).toBe("ECHELON_CONFIG_INVALID");
    expect(codeOf(() => new TaskDecomposer({ maxFanOut: 1 }))).toBe("ECHELON_CONFIG_INVALID");
    const controller = new AbortController();
    controller.abort();
    expect(
      codeOf(() => decomposer.decompose("Fix it", { maxDepth: 1, patterns: [], signal: controller.signal })),
    ).toBe("ECHELON_CANCELLED");
    expect(
      codeOf(() => decomposer.decompose({ description: 3 } as never, { maxDepth: 1, patterns: [] })),
    ).toBe("ECHELON_SPEC_INVALID");
  });

  it("returns the cached plan for the same text and options, and a new one when they differ", () => {
    const cached = new TaskDecomposer();
    const a = cached.decompose("Write tests and deploy", { maxDepth: 2, patterns: ALL_PATTERNS });
    expect(cached.decompose("Write tests and deploy", { maxDepth: 2, patterns: ALL_PATTERNS })).toBe(a);
    expect(cached.decompose("Write tests and deploy", { maxDepth: 1, patterns: ALL_PATTERNS })).not.toBe(a);
    expect(Object.isFrozen(a.root)).toBe(true);
    const uncached = new TaskDecomposer({ cacheSize: 0 });
    const b = uncached.decompose("Write tests and deploy", { maxDepth: 2, patterns: ALL_PATTERNS });
    expect(uncached.decompose("Write tests and deploy", { maxDepth: 2, patterns: ALL_PATTERNS })).not.toBe(b);
    expect(uncached.decompose("Write tests and deploy", { maxDepth: 2, patterns: ALL_PATTERNS })).toEqual(b);
  });
});
