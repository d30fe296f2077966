import { describe, expect, it } from "vitest";
import { type CaseSpec, runSweep } from "../src/index.js";

// The checks must be able to fail: an agent that ignores its idempotency key applies again the
// effects of leaves whose completion the kill lost, and the harness must say so.
describe("the harness catches what it is there to catch", () => {
  const kill = { unit: "transaction", at: 2 } as const;
  const spec = (honourKeys: boolean): CaseSpec => ({ plan: "map-reduce", leaves: 400, honourKeys });

  it("reports effects applied twice when the agent ignores idempotency keys, and none when it honours them", async () => {
    const [ignoring, honouring] = await Promise.all(
      [false, true].map((honourKeys) =>
        runSweep({ name: `keys ${honourKeys}`, spec: spec(honourKeys), kills: () => [kill], concurrency: 1 }),
      ),
    );
    const problems = ignoring!.outcomes[0]!.problems;
    expect(problems.some((p) => /applied twice/.test(p))).toBe(true);
    expect(ignoring!.outcomes[0]!.reruns).toBeGreaterThan(0);
    expect(honouring!.outcomes[0]!.problems).toEqual([]);
    expect(honouring!.outcomes[0]!.reruns).toBeGreaterThan(0);
  }, 60_000);
});
