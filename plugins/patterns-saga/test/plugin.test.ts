import type { Pattern, PatternChild, PluginContext } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { sagaPattern, VERSION } from "../src/index.js";

const child = (id: string, hasCompensation: boolean): PatternChild => ({
  id,
  description: id,
  input: null,
  dependsOn: [],
  capabilities: [],
  priority: 0,
  composite: false,
  hasCompensation,
  metadata: {},
});

describe("sagaPattern plugin", () => {
  it("registers its pattern object and exposes it", () => {
    const plugin = sagaPattern();
    const registered: Pattern[] = [];
    plugin.register({ registerPattern: (p: Pattern) => registered.push(p) } as unknown as PluginContext);
    expect(plugin.name).toBe("@echelon/patterns-saga");
    expect(plugin.version).toBe(VERSION);
    expect(registered).toEqual([plugin.pattern]);
    expect(plugin.pattern.name).toBe("saga");
    expect(plugin.pattern.ordering).toBe("sequential");
  });

  it("keeps handlers per plugin instance", () => {
    sagaPattern().pattern.registerCompensationHandler("a", () => {});
    expect(sagaPattern().pattern.compensationHandlers()).toEqual([]);
  });

  it("recommends itself when a step declares a compensation (task or handler)", () => {
    const { pattern } = sagaPattern();
    expect(pattern.recommend!([child("a", false), child("b", false)], { agentCount: 3 })).toBe(0);
    expect(pattern.recommend!([child("a", true), child("b", false)], { agentCount: 3 })).toBe(0.95);
    pattern.registerCompensationHandler("b", () => {});
    expect(pattern.recommend!([child("a", false), child("b", false)], { agentCount: 3 })).toBe(0.95);
  });
});
