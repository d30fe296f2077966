import type { NodeState } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { dashboardPage } from "../src/dashboard/page.js";

/** Every node state core reports. A Record keyed by NodeState: a new state fails the typecheck here. */
const NODE_STATES: Record<NodeState, true> = {
  pending: true,
  waiting: true,
  running: true,
  completed: true,
  failed: true,
  cancelled: true,
  compensated: true,
  skipped: true,
};

describe("dashboard page legend", () => {
  const page = dashboardPage("nonce");
  const legend = /<div class="legend[^"]*">([\s\S]*?)<\/div>/.exec(page)?.[1] ?? "";
  const entries = [
    ...legend.matchAll(/<span class="st-([a-z]+)"[^>]*><span class="dot"><\/span>([^<]+)<\/span>/g),
  ];

  it("has one entry, with a label, for every node state", () => {
    const states = entries.map((m) => m[1]);
    expect([...states].sort()).toEqual(Object.keys(NODE_STATES).sort());
    for (const m of entries) expect(m[2]?.trim()).not.toBe("");
  });

  it("shows waiting tasks in their own colour", () => {
    expect(page).toMatch(/\.st-waiting \.dot\{background:#[0-9a-f]{6}\}/);
  });
});
