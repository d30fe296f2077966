import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { CoreErrorCode } from "@echelon/core";
import { journalFixture } from "@echelon/testing";
import { describe, expect, it } from "vitest";
import { SqliteEventStore } from "../src/index.js";
import { inChild, tempDb } from "./helpers.js";

/** A journal with one running and one finished run, written by this process. */
async function journal(): Promise<{ path: string; store: SqliteEventStore }> {
  const path = tempDb();
  const store = new SqliteEventStore({ path });
  for (const e of journalFixture("running", { state: "running", leaves: 2 }).events) store.append(e);
  for (const e of journalFixture("finished", { leaves: 2 }).events) store.append(e);
  await store.commit();
  return { path, store };
}

describe("two processes on one journal", () => {
  it("a lease held by this process is refused to another process, naming the owner and expiry", async () => {
    const { path, store } = await journal();
    try {
      const lease = await store.claim("running", "parent", 60_000);
      const answer = await inChild(path, "claim", "running", "child", "60000");
      expect(answer).toMatchObject({
        ok: false,
        code: CoreErrorCode.STORE_LEASE_HELD,
        details: { owner: "parent", expiresAtEpochMs: lease.expiresAtEpochMs },
      });
      expect(answer.message).toContain('owned by "parent" until');
      await store.release("running", "parent");
      expect(await inChild(path, "claim", "running", "child", "60000")).toMatchObject({
        ok: true,
        value: { owner: "child" },
      });
      await expect(store.claim("running", "parent", 1000)).rejects.toMatchObject({
        code: CoreErrorCode.STORE_LEASE_HELD,
        details: { owner: "child" },
      });
      expect((await store.summaries()).find((s) => s.orchestrationId === "running")?.owner).toBe("child");
    } finally {
      await store.close();
    }
  });

  it("a lease another process let expire is taken over", async () => {
    const { path, store } = await journal();
    try {
      const answer = await inChild(path, "claim", "running", "child", "2000");
      expect(answer).toMatchObject({ ok: true });
      const expiresAt = (answer.value as { expiresAtEpochMs: number }).expiresAtEpochMs;
      await expect(store.claim("running", "parent", 1000)).rejects.toMatchObject({
        code: CoreErrorCode.STORE_LEASE_HELD,
      });
      await new Promise((done) => setTimeout(done, expiresAt - Date.now() + 20));
      await expect(store.claim("running", "parent", 1000)).resolves.toMatchObject({ owner: "parent" });
    } finally {
      await store.close();
    }
  });

  it("of processes racing for one lease, exactly one wins", async () => {
    const { path, store } = await journal();
    await store.close();
    const answers = await Promise.all(
      ["p1", "p2", "p3", "p4"].map((owner) => inChild(path, "claim", "running", owner, "60000")),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).every((a) => a.code === CoreErrorCode.STORE_LEASE_HELD)).toBe(true);
  });

  it("a cancel requested by another process is seen by the owner's poll; finished and unknown runs are told apart", async () => {
    const { path, store } = await journal();
    try {
      expect(await store.cancelRequested("running")).toBe(false);
      expect(await inChild(path, "request-cancel", "running")).toEqual({ ok: true, value: "requested" });
      expect(await store.cancelRequested("running")).toBe(true);
      expect(await inChild(path, "request-cancel", "finished")).toEqual({
        ok: true,
        value: "already-finished",
      });
      expect(await inChild(path, "request-cancel", "nobody")).toEqual({ ok: true, value: "unknown" });
      expect(await store.cancelRequested("finished")).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("an owner in another process polling cancelRequested sees this process's request", async () => {
    const { path, store } = await journal();
    try {
      const child = spawn(process.execPath, [
        resolve(import.meta.dirname, "fixtures", "child.mjs"),
        path,
        "wait-cancel",
        "running",
        "10000",
      ]);
      let out = "";
      const polling = new Promise<void>((ready) =>
        child.stdout.on("data", (d) => {
          out += d;
          if (out.includes("polling")) ready();
        }),
      );
      const exited = new Promise<number | null>((done) => child.on("exit", done));
      await polling;
      expect(await store.requestCancel("running")).toBe("requested");
      expect(await exited).toBe(0);
      const last = JSON.parse(out.trim().split("\n").at(-1)!);
      expect(last.ok).toBe(true);
      expect(last.value.seenAfterMs).toBeLessThan(10_000);
    } finally {
      await store.close();
    }
  });

  it("processes appending at once each get every event back, in order", async () => {
    const { path, store } = await journal();
    try {
      const mine = journalFixture("mine", { leaves: 300 }).events;
      const children = Promise.all([
        inChild(path, "append", "child-a", "3000"),
        inChild(path, "append", "child-b", "3000"),
      ]);
      for (const e of mine) store.append(e);
      await store.commit();
      const answers = await children;
      expect(answers.every((a) => a.ok)).toBe(true);
      expect(store.read("mine")).toStrictEqual(mine);
      for (const id of ["child-a", "child-b"]) {
        const events = store.read(id);
        expect(events).toHaveLength(3000);
        expect(events.map((e) => e.nodePath)).toEqual(events.map((_, i) => `root/t-${i}`));
      }
    } finally {
      await store.close();
    }
  });
});
