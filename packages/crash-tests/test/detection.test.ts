import { describe, expect, it } from "vitest";
import { type CaseSpec, type KillPoint, runSweep } from "../src/index.js";

// The checks must be able to fail: an agent that ignores its idempotency key applies again the
// effects of leaves whose completion the kill lost (it was still in the store's batch), and the
// harness must say so. Kills after transactions 3, 5 and 7 of the mixed plan (default batching)
// catch leaves in that window on the project's machines; one is enough.
describe("the harness catches what it is there to catch", () => {
  const kills: KillPoint[] = [3, 5, 7].map((at) => ({ unit: "transaction", at }));
  const spec = (honourKeys: boolean): CaseSpec => ({ plan: "mixed", honourKeys });

  it("reports effects applied twice when the agent ignores idempotency keys, and none when it honours them", async () => {
    const [ignoring, honouring] = await Promise.all(
      [false, true].map((honourKeys) =>
        runSweep({ name: `keys ${honourKeys}`, spec: spec(honourKeys), kills: () => kills, concurrency: 1 }),
      ),
    );
    const twice = ignoring!.outcomes.filter((o) => o.problems.some((p) => /applied twice/.test(p)));
    expect(twice.length).toBeGreaterThan(0);
    expect(honouring!.outcomes.flatMap((o) => o.problems)).toEqual([]);
    expect(honouring!.outcomes.reduce((n, o) => n + o.reruns, 0)).toBeGreaterThan(0);
  }, 90_000);
});
