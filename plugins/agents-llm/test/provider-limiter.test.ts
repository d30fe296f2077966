import { describe, expect, it } from "vitest";
import { createProviderLimiter, retryAfterMs } from "../src/index.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("createProviderLimiter", () => {
  it("never runs more than `concurrency` requests at once and starts them in FIFO order", async () => {
    const limiter = createProviderLimiter({ concurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 10 }, deferred);
    const runs = gates.map((g, i) =>
      limiter.schedule(async () => {
        order.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await g.promise;
        inFlight--;
        return i * i;
      }),
    );
    expect(limiter.stats()).toMatchObject({ active: 3, queued: 7 });
    for (const g of gates) {
      g.resolve();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(runs)).toEqual(gates.map((_, i) => i * i));
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(limiter.stats()).toMatchObject({ active: 0, queued: 0, started: 10 });
  });

  it("spaces request starts to the requests-per-minute rate after the burst", async () => {
    const limiter = createProviderLimiter({ concurrency: 10, requestsPerMinute: 1200, burst: 1 }); // one per 50 ms
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, () => limiter.schedule(async () => starts.push(performance.now()))),
    );
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(45);
  });

  it("an aborted wait leaves the queue and rejects with the signal's reason; the request never runs", async () => {
    const limiter = createProviderLimiter({ concurrency: 1 });
    const hold = deferred();
    const first = limiter.schedule(() => hold.promise);
    const controller = new AbortController();
    let ran = false;
    const second = limiter.schedule(async () => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error("caller gave up"));
    await expect(second).rejects.toThrow("caller gave up");
    expect(limiter.stats().queued).toBe(0);
    hold.resolve();
    await first;
    expect(ran).toBe(false);
  });

  it("pauseUntil holds every request back until the given time", async () => {
    const limiter = createProviderLimiter({ concurrency: 4 });
    const until = Date.now() + 80;
    limiter.pauseUntil(until);
    const started = await limiter.schedule(async () => Date.now());
    expect(started).toBeGreaterThanOrEqual(until);
  });

  it("a request that throws frees its slot", async () => {
    const limiter = createProviderLimiter({ concurrency: 1 });
    await expect(limiter.schedule(() => Promise.reject(new Error("x")))).rejects.toThrow("x");
    await expect(
      limiter.schedule(() => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    expect(await limiter.schedule(async () => 7)).toBe(7);
  });

  it("rejects bad options with ECHELON_CONFIG_INVALID", () => {
    expect(() => createProviderLimiter({ concurrency: 0 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => createProviderLimiter({} as never)).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => createProviderLimiter({ concurrency: 1, requestsPerMinute: -5 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads delta-seconds, retry-after-ms and HTTP dates, in any header case", () => {
    expect(retryAfterMs({ "Retry-After": "3" }, now)).toBe(3000);
    expect(retryAfterMs({ "retry-after": "0.5" }, now)).toBe(500);
    expect(retryAfterMs({ "retry-after-ms": "120", "retry-after": "9" }, now)).toBe(120);
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }, now)).toBe(7000);
    expect(retryAfterMs({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, now)).toBe(0);
  });
  it("returns null without a usable header", () => {
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeNull();
    expect(retryAfterMs({ "content-type": "application/json" }, now)).toBeNull();
  });
});
