import { describe, expect, it } from "vitest";
import { functionAgent, HierarchicalOrchestrator, isEchelonError } from "../src/index.js";
import { orderPlugins } from "../src/plugins/plugin-host.js";
import { createToken, definePlugin, DECOMPOSER, EchelonContainer, PATTERN } from "../src/plugin.js";
import { testParallel, testPatterns } from "./support/test-patterns.js";

const counter = functionAgent({}, (work) => String(work.input).length);

describe("plugin API", () => {
  it("registers many-per-token patterns and isolates two orchestrators", async () => {
    const a = new HierarchicalOrchestrator({ plugins: [testPatterns()], agents: [counter] });
    const b = new HierarchicalOrchestrator({ agents: [counter] });
    expect(a.patternNames).toEqual(["test-parallel", "test-sequence", "test-window-sum", "test-saga"]);
    expect(b.patternNames).toEqual([]);
    expect(a.container.getAll(PATTERN)).toHaveLength(4);
    expect(b.container.getAll(PATTERN)).toHaveLength(0);
    const spec = {
      description: "root",
      pattern: "test-parallel",
      children: [{ description: "x", input: "abc" }],
    };
    await expect(a.orchestrateComplexTask(spec)).resolves.toMatchObject({ success: true, result: [3] });
    await expect(b.orchestrateComplexTask(spec)).rejects.toMatchObject({ code: "ECHELON_PATTERN_UNKNOWN" });
  });

  it("refuses a silent second binding of a single-slot token", () => {
    const one = { name: "one", decompose: () => ({}) as never };
    const two = { name: "two", decompose: () => ({}) as never };
    const p = (name: string, d: typeof one) =>
      definePlugin({ name, version: "1.0.0", register: (ctx) => ctx.bind(DECOMPOSER, d) });
    let caught: unknown;
    try {
      new HierarchicalOrchestrator({ plugins: [p("a", one), p("b", two)] });
    } catch (e) {
      caught = e;
    }
    expect(isEchelonError(caught, "ECHELON_DI_DUPLICATE_BINDING")).toBe(true);
    expect((caught as Error).message).toContain('Plugin "b"');
    const overriding = definePlugin({
      name: "c",
      version: "1.0.0",
      register: (ctx) => ctx.bind(DECOMPOSER, two, { override: true }),
    });
    const o = new HierarchicalOrchestrator({ plugins: [p("a", one), overriding] });
    expect(o.container.get(DECOMPOSER).name).toBe("two");
  });

  it("typed tokens: bind/get, add/getAll, unbound get is coded", () => {
    const TOKEN = createToken<{ n: number }>("@test/Single");
    const MANY = createToken<string>("@test/Many", { multi: true });
    const c = new EchelonContainer();
    c.bind(TOKEN, { n: 1 });
    c.add(MANY, "a");
    c.add(MANY, "b");
    expect(c.get(TOKEN).n).toBe(1);
    expect(c.getAll(MANY)).toEqual(["a", "b"]);
    const child = c.createChild();
    expect(child.get(TOKEN).n).toBe(1);
    child.bind(TOKEN, { n: 2 });
    expect(child.get(TOKEN).n).toBe(2);
    expect(c.get(TOKEN).n).toBe(1);
    expect(() => new EchelonContainer().get(TOKEN)).toThrow(
      expect.objectContaining({ code: "ECHELON_DI_UNBOUND_TOKEN" }),
    );
    expect(() => c.add(TOKEN, { n: 3 })).toThrow(expect.objectContaining({ code: "ECHELON_DI_TOKEN_KIND" }));
  });

  it("orders plugins by dependsOn and fails early on missing, cyclic or duplicate plugins", () => {
    const mk = (name: string, dependsOn: string[] = []) =>
      definePlugin({ name, version: "1.0.0", dependsOn, register() {} });
    expect(orderPlugins([mk("b", ["a"]), mk("a")]).map((p) => p.name)).toEqual(["a", "b"]);
    expect(() => orderPlugins([mk("b", ["a"])])).toThrow(
      expect.objectContaining({ code: "ECHELON_PLUGIN_DEPENDENCY_MISSING" }),
    );
    expect(() => orderPlugins([mk("a", ["b"]), mk("b", ["a"])])).toThrow(
      expect.objectContaining({
        code: "ECHELON_PLUGIN_DEPENDENCY_CYCLE",
        details: { cycle: ["a", "b", "a"] },
      }),
    );
    expect(() => orderPlugins([mk("a"), mk("a")])).toThrow(
      expect.objectContaining({ code: "ECHELON_PLUGIN_DUPLICATE" }),
    );
  });

  it("wraps a failing hook with the plugin name, and runs start once and stop in reverse order", async () => {
    const bad = definePlugin({
      name: "bad",
      version: "1.0.0",
      register() {
        throw new Error("boom");
      },
    });
    expect(() => new HierarchicalOrchestrator({ plugins: [bad] })).toThrow(
      expect.objectContaining({
        code: "ECHELON_PLUGIN_HOOK_FAILED",
        details: { plugin: "bad", hook: "register" },
      }),
    );
    const log: string[] = [];
    const mk = (name: string) =>
      definePlugin({
        name,
        version: "1.0.0",
        register: (ctx) => (name === "p1" ? ctx.registerPattern(testParallel) : undefined),
        start: () => void log.push(`start ${name}`),
        stop: () => void log.push(`stop ${name}`),
      });
    const o = new HierarchicalOrchestrator({ plugins: [mk("p1"), mk("p2")], agents: [counter] });
    const spec = {
      description: "r",
      pattern: "test-parallel",
      children: [{ description: "x", input: "ab" }],
    };
    await Promise.all([o.orchestrateComplexTask(spec), o.orchestrateComplexTask(spec)]);
    await o.shutdown();
    expect(log).toEqual(["start p1", "start p2", "stop p2", "stop p1"]);
  });
});
