import { describe, expect, it } from "vitest";
import { type EchelonEvent, functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import {
  DECOMPOSER,
  type DistributionStrategy,
  definePlugin,
  type EchelonPlugin,
  type Pattern,
  RESULT_ENRICHER,
} from "../src/plugin.js";
import { leaves, testParallel } from "./support/test-patterns.js";

const patternPlugin = (name: string, pattern: Pattern): EchelonPlugin =>
  definePlugin({ name, version: "1.0.0", register: (ctx) => ctx.registerPattern(pattern) });
const strategyPlugin = (name: string, strategy: DistributionStrategy): EchelonPlugin =>
  definePlugin({ name, version: "1.0.0", register: (ctx) => ctx.registerStrategy(strategy) });
const echo = functionAgent({ capacity: 4 }, (w) => w.input);

describe("plugin boundary", () => {
  it("refuses two plugins registering one pattern name, naming both (a third-party saga cannot replace the real one)", () => {
    const real = patternPlugin("@echelon/patterns-saga", { ...testParallel, name: "saga" });
    const impostor = patternPlugin("evil-saga", { ...testParallel, name: "saga" });
    expect(() => new HierarchicalOrchestrator({ plugins: [real, impostor] })).toThrow(
      expect.objectContaining({
        code: "ECHELON_PLUGIN_NAME_CONFLICT",
        details: expect.objectContaining({ plugins: ["@echelon/patterns-saga", "evil-saga"] }),
        message: expect.stringMatching(/@echelon\/patterns-saga.*evil-saga/),
      }),
    );
  });

  it("refuses two plugins registering one strategy name", () => {
    const s: DistributionStrategy = { name: "fastest", select: () => 0 };
    expect(
      () =>
        new HierarchicalOrchestrator({ plugins: [strategyPlugin("a", s), strategyPlugin("b", { ...s })] }),
    ).toThrow(expect.objectContaining({ code: "ECHELON_PLUGIN_NAME_CONFLICT" }));
  });

  it("a strategy whose select throws fails the task with the plugin's name and the hook", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [echo, functionAgent({ name: "other", capacity: 4 }, (w) => w.input)],
      plugins: [
        patternPlugin("p", testParallel),
        strategyPlugin("broken-strategies", {
          name: "broken",
          select: () => {
            throw new Error("no idea");
          },
        }),
      ],
      strategy: "broken",
    });
    const result = await o.orchestrateComplexTask({
      description: "x",
      pattern: "test-parallel",
      children: leaves(2),
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).toContain("ECHELON_PLUGIN_HOOK_FAILED");
    expect(result.errorMessage).toContain('Plugin "broken-strategies" failed in select()');
    await o.shutdown();
  });

  it("a strategy that returns no candidate's index is reported, not silently corrected", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [echo, functionAgent({ name: "other" }, (w) => w.input)],
      plugins: [
        patternPlugin("p", testParallel),
        strategyPlugin("sloppy", { name: "sloppy", select: () => 7 }),
      ],
      strategy: "sloppy",
    });
    const result = await o.orchestrateComplexTask({
      description: "x",
      pattern: "test-parallel",
      children: leaves(1),
    });
    expect(result.errorMessage).toContain("returned 7, not the index of one of the 2 candidates");
    await o.shutdown();
  });

  it("a pattern whose execute throws a plain error is reported with its plugin and hook", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [echo],
      plugins: [
        patternPlugin("clumsy-plugin", {
          name: "clumsy",
          ordering: "parallel",
          execute: async () => {
            throw new TypeError("oops");
          },
        }),
      ],
    });
    const result = await o.orchestrateComplexTask({
      description: "x",
      pattern: "clumsy",
      children: leaves(1),
    });
    expect(result.error).toMatchObject({
      code: "ECHELON_PATTERN_FAILED",
      details: { plugin: "clumsy-plugin", hook: "execute", pattern: "clumsy" },
    });
    await o.shutdown();
  });

  it("a decomposer that throws a plain error is reported with its plugin and hook", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [echo],
      plugins: [
        definePlugin({
          name: "bad-decomposer",
          version: "1.0.0",
          register: (ctx) =>
            ctx.bind(DECOMPOSER, {
              name: "bad",
              decompose: () => {
                throw new Error("cannot read that");
              },
            }),
        }),
      ],
    });
    await expect(o.orchestrateComplexTask("do it")).rejects.toMatchObject({
      code: "ECHELON_PLUGIN_HOOK_FAILED",
      details: { plugin: "bad-decomposer", hook: "decompose" },
    });
    await o.shutdown();
  });

  it("a result enricher that throws never breaks the run: it is logged and emitted with its plugin", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [echo],
      plugins: [
        definePlugin({
          name: "bad-enricher",
          version: "1.0.0",
          register: (ctx) =>
            ctx.add(RESULT_ENRICHER, {
              key: "bad",
              observe: () => {
                throw new Error("observe failed");
              },
              summarize: () => {
                throw new Error("summarize failed");
              },
            }),
        }),
      ],
    });
    const failures: EchelonEvent[] = [];
    o.events.on("plugin:hookFailed", (e) => failures.push(e));
    const result = await o.orchestrateComplexTask({ description: "x", input: 1 });
    expect(result.success).toBe(true);
    expect(
      failures.map((e) => [
        e.type === "plugin:hookFailed" && e.plugin,
        e.type === "plugin:hookFailed" && e.hook,
      ]),
    ).toContainEqual(["bad-enricher", "summarize"]);
    expect(failures.some((e) => e.type === "plugin:hookFailed" && e.hook === "observe")).toBe(true);
    await o.shutdown();
  });

  it("a pattern's own option check runs for every node before any leaf, and names the node", async () => {
    const ran: unknown[] = [];
    const picky: Pattern = {
      ...testParallel,
      name: "picky",
      checkOptions(options) {
        if (options.mode !== undefined && options.mode !== "fast")
          throw new Error(`unknown mode "${String(options.mode)}"`);
      },
    };
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      agents: [functionAgent({}, (w) => ran.push(w.input))],
      plugins: [patternPlugin("picky-plugin", picky)],
    });
    const error = await o
      .orchestrateComplexTask({
        description: "root",
        pattern: "picky",
        children: [
          { id: "a", description: "a", input: 1 },
          {
            id: "deep",
            description: "deep",
            pattern: "picky",
            patternOptions: { mode: "slow" },
            children: leaves(1),
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ECHELON_PATTERN_OPTIONS_INVALID",
      details: { nodePath: "root/deep", plugin: "picky-plugin", hook: "checkOptions" },
    });
    expect(ran).toEqual([]);
    await o.shutdown();
  });
});
