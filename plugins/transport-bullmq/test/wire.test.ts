import { EchelonError, isNonRetryable, NonRetryableError } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { JobId, remoteAgent, startWorkerHost } from "../src/index.js";
import { decodeFailure, describeError, encodeFailure, toError } from "../src/wire.js";

describe("job ids", () => {
  it("are built from the idempotency key and the attempt, and parse back, also for keys with : and %", () => {
    for (const key of ["run-1/root/a", "r/root/b:compensate", "r/root/c#item-3/d", "50%/x:y%3A"]) {
      const id = JobId.build(key, 2);
      expect(id).not.toContain(":");
      expect(JobId.parse(id)).toEqual({ idempotencyKey: key, attempt: 2 });
    }
    expect(JobId.build("run-1/root/a", 1)).toBe("run-1/root/a~1");
    expect(JobId.parse("not-ours")).toBeNull();
  });

  it("differ between attempts of one step (an orchestrator retry is a new job) and not between deliveries", () => {
    expect(JobId.build("r/root/a", 1)).not.toBe(JobId.build("r/root/a", 2));
    expect(JobId.build("r/root/a", 1)).toBe(JobId.build("r/root/a", 1));
  });

  it("compact ids are deterministic, short, free of ':', never integers, and distinct per attempt and key", () => {
    const uuidKey = "0b6f7c52-5d1e-4d7e-9a43-2f0a5c1e9b7d/root/leaf9999";
    const id = JobId.compact(uuidKey, 1);
    expect(id).toBe(JobId.compact(uuidKey, 1));
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}~1$/);
    // Pinned: a resume must find the jobs of an earlier process (and release) under the same id.
    expect(JobId.compact("run-1/root/a", 1)).toBe("-fhv6HCNMcW9~1");
    expect(id.length).toBeLessThan(JobId.build(uuidKey, 1).length / 3);
    expect(JobId.compact(uuidKey, 2)).not.toBe(id);
    expect(JobId.compact(uuidKey, 2).slice(0, 12)).toBe(id.slice(0, 12));
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const c = JobId.compact(`run/root/leaf${i}:x%`, 1 + (i % 3));
      expect(c).not.toContain(":");
      expect(Number.isInteger(Number(c))).toBe(false);
      ids.add(c);
    }
    expect(ids.size).toBe(20_000);
    // Not parseable back to the key (the key travels in the job data).
    expect(JobId.parse(id)?.idempotencyKey).not.toBe(uuidKey);
  });
});

describe("errors crossing Redis", () => {
  it("keep their code, details and non-retryability", () => {
    const thrown = new NonRetryableError("Row 3 has no comma; fix the CSV.", {
      code: "ECHELON_CSV_ROW_INVALID",
      details: { row: 3 },
    });
    const back = toError(JSON.parse(JSON.stringify(describeError(thrown))));
    expect(back).toBeInstanceOf(EchelonError);
    expect(back.code).toBe("ECHELON_CSV_ROW_INVALID");
    expect(back.message).toBe("Row 3 has no comma; fix the CSV.");
    expect(back.details).toMatchObject({ row: 3 });
    expect(isNonRetryable(back)).toBe(true);
  });

  it("a plain error becomes a retryable ECHELON_TASK_FAILED; retryable: false still stops retries", () => {
    const plain = toError(describeError(new Error("flaky")));
    expect(plain.code).toBe("ECHELON_TASK_FAILED");
    expect(isNonRetryable(plain)).toBe(false);
    const marked = toError(describeError(Object.assign(new Error("quota spent"), { retryable: false })));
    expect(isNonRetryable(marked)).toBe(true);
    const system = describeError(Object.assign(new Error("connect refused"), { code: "ECONNREFUSED" }));
    expect(system.code).toBe("ECHELON_TASK_FAILED");
    expect(system.cause?.code).toBe("ECONNREFUSED");
  });

  it("details that are not JSON are reported instead of breaking the report", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const d = describeError(new EchelonError("ECHELON_X_Y", "m", { details: cyclic }));
    expect(d.details).toHaveProperty("detailsNotJson");
  });

  it("a failed reason BullMQ wrote itself becomes a retryable transport error", () => {
    const stalled = decodeFailure("job stalled more than allowable limit", "j~1");
    expect(stalled.error.code).toBe("ECHELON_TRANSPORT_JOB_STALLED");
    expect(isNonRetryable(stalled.error)).toBe(false);
    const other = decodeFailure("Missing lock for job j~1", "j~1");
    expect(other.error.code).toBe("ECHELON_TRANSPORT_JOB_FAILED");
    const ours = decodeFailure(
      encodeFailure({ echelon: 1, host: "h", error: describeError(new Error("x")), stop: true }),
      "j~1",
    );
    expect(ours.stop).toBe(true);
  });
});

describe("options", () => {
  it("remoteAgent refuses bad options, listing each with its path", () => {
    const bad = () =>
      remoteAgent({
        capabilities: ["ok", ""],
        connection: "redis://127.0.0.1:6379",
        queue: "a:b",
        capacity: 0,
        connectTimeoutMs: -1,
      });
    expect(bad).toThrow(/capabilities[\s\S]*queue[\s\S]*capacity[\s\S]*connectTimeoutMs/);
    try {
      bad();
    } catch (error) {
      expect((error as EchelonError).code).toBe("ECHELON_CONFIG_INVALID");
    }
    expect(() => remoteAgent({ capabilities: [], connection: "http://x" })).toThrow(/not a Redis URL/);
  });

  it("startWorkerHost refuses a host without agents before connecting", async () => {
    await expect(startWorkerHost({ connection: "redis://127.0.0.1:1", agents: [] })).rejects.toMatchObject({
      code: "ECHELON_CONFIG_INVALID",
    });
  });
});
