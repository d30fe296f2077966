import type { EchelonEvent } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { SqliteEventStore } from "../src/index.js";
import { tempDb } from "./helpers.js";

/** Appends `event` to a fresh journal and reads it back from the file (another connection). */
async function roundTrip(event: Record<string, unknown>): Promise<EchelonEvent> {
  const path = tempDb();
  const store = new SqliteEventStore({ path });
  store.append(event as unknown as EchelonEvent);
  await store.close();
  const reader = new SqliteEventStore({ path });
  try {
    const [read] = reader.read(String(event.orchestrationId));
    return read!;
  } finally {
    await reader.close();
  }
}

describe("the event codec", () => {
  it("keeps every key in its order, whatever the order was", async () => {
    const event = {
      ts: 5.5,
      nodePath: "r/a",
      custom: { z: 1, a: [null, 2.5] },
      type: "my:event",
      orchestrationId: "o",
    };
    const read = await roundTrip(event);
    expect(read).toStrictEqual(event);
    expect(Object.keys(read)).toEqual(Object.keys(event));
    expect(JSON.stringify(read)).toBe(JSON.stringify(event));
  });

  it("derives taskId only when it is the path's last id, and stores it otherwise", async () => {
    const derived = {
      type: "task:skipped",
      orchestrationId: "o",
      nodePath: "r/b#item-2",
      ts: 1,
      taskId: "b",
      reason: "x",
    };
    expect(await roundTrip(derived)).toStrictEqual(derived);
    const other = { ...derived, taskId: "not-the-path" };
    expect(await roundTrip(other)).toStrictEqual(other);
  });

  it("drops keys whose value is undefined, as JSON does, and keeps nulls", async () => {
    const read = await roundTrip({
      type: "t",
      orchestrationId: "o",
      nodePath: "",
      ts: 0,
      gone: undefined,
      kept: null,
    });
    expect(read).toStrictEqual({ type: "t", orchestrationId: "o", nodePath: "", ts: 0, kept: null });
  });

  it("keeps a __proto__ key as data, without touching the prototype", async () => {
    const event = JSON.parse(
      '{"type":"t","orchestrationId":"o","nodePath":"n","ts":1,"__proto__":{"polluted":true}}',
    );
    const read = await roundTrip(event);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("stores an output that is a plain string, number or null, and a result without a result field", async () => {
    for (const output of ["text", 42, null, [1, "two"], { nested: { deep: true } }]) {
      const event = {
        type: "task:completed",
        orchestrationId: "o",
        nodePath: "r",
        ts: 1,
        taskId: "r",
        output,
      };
      expect(await roundTrip(event)).toStrictEqual(event);
    }
    const noResult = {
      type: "orchestration:failed",
      orchestrationId: "o",
      nodePath: "r",
      ts: 2,
      result: { state: "failed" },
    };
    expect(await roundTrip(noResult)).toStrictEqual(noResult);
  });
});

describe("composed outputs", () => {
  it("rebuilds a composite's output made of its children's outputs, key order, __proto__ keys and all", async () => {
    const text = "a long text output that a reference is much shorter than";
    const leaf = (path: string, output: unknown, ts: number) => ({
      type: "task:completed",
      orchestrationId: "c",
      nodePath: path,
      ts,
      taskId: path.split("/").at(-1),
      output,
    });
    const big = { rows: Array.from({ length: 20 }, (_, i) => ({ i, label: `row ${i}` })) };
    const aggregate = JSON.parse(
      `{"z":${JSON.stringify(text)},"__proto__":${JSON.stringify(big)},"small":1,"list":[${JSON.stringify(big)},2,${JSON.stringify(text)}]}`,
    );
    const events = [
      leaf("r/a", text, 1),
      leaf("r/b", big, 2),
      leaf("r", aggregate, 3),
      leaf("r/c", [big, text], 4),
    ];
    const path = tempDb();
    const store = new SqliteEventStore({ path });
    for (const e of events) store.append(e as unknown as EchelonEvent);
    await store.close();
    const reader = new SqliteEventStore({ path });
    const read = reader.read("c");
    await reader.close();
    expect(read).toStrictEqual(events);
    expect(JSON.stringify(read)).toBe(JSON.stringify(events));
    expect(Object.getPrototypeOf((read[2] as unknown as { output: object }).output)).toBe(Object.prototype);
  });
});
