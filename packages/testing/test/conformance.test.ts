import { describe, expect, it } from "vitest";
import {
  describePatternConformance,
  loadPattern,
  PATTERN_CONFORMANCE_CHECKS,
  PATTERN_ORCHESTRATION_CHECKS,
} from "../src/index.js";
import { leaky, miscoded, parallelAll, pluginOf, swallowing } from "./fixtures.js";

describePatternConformance(() => pluginOf(parallelAll));

function check(name: string) {
  const found = [...PATTERN_CONFORMANCE_CHECKS, ...PATTERN_ORCHESTRATION_CHECKS].find((c) =>
    c.name.startsWith(name),
  );
  if (!found) throw new Error(`no check ${name}`);
  return found;
}

describe("the conformance checks catch broken patterns", () => {
  it("a pattern that swallows cancellation fails the abort check", async () => {
    const plugin = pluginOf(swallowing);
    await expect(
      check("abort reaches").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("a pattern that swallows agent failures fails the failure check", async () => {
    const plugin = pluginOf(swallowing);
    await expect(
      check("fails with").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("a pattern returning non-JSON fails the happy-path check", async () => {
    const plugin = pluginOf(leaky);
    await expect(
      check("happy path").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("a pattern raising a malformed code fails the failure check", async () => {
    const plugin = pluginOf(miscoded);
    await expect(
      check("fails with").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("inside an orchestration, a pattern that swallows agent failures fails the failure check", async () => {
    const plugin = pluginOf(swallowing);
    await expect(
      check("inside an orchestration: failing").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("inside an orchestration, a pattern returning non-JSON fails the happy-path check", async () => {
    const plugin = pluginOf(leaky);
    await expect(
      check("inside an orchestration: completes").run({ plugin, pattern: loadPattern(plugin), options: {} }),
    ).rejects.toThrow();
  });

  it("loadPattern refuses a plugin registering no pattern, and an unknown name", () => {
    const empty = { name: "empty", version: "1.0.0", register() {} };
    expect(() => loadPattern(empty)).toThrow(/registers 0 patterns/);
    expect(() => loadPattern(pluginOf(parallelAll), "nope")).toThrow(/no pattern named "nope"/);
  });
});
