import { describe, expect, it } from "vitest";
import { EchelonError } from "../src/errors/echelon-error.js";
import { AbortRace, raceAbort } from "../src/util/abort.js";

/** A promise settled from outside. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("AbortRace", () => {
  it("settles with the promise, and an ended race is not rejected by a later abort", async () => {
    const controller = new AbortController();
    const work = deferred<number>();
    const race = new AbortRace(work.promise, controller.signal);
    work.resolve(7);
    await expect(race.promise).resolves.toBe(7);
    race.end();
    race.end(); // safe twice
    controller.abort();
    await expect(race.promise).resolves.toBe(7);
  });

  it("rejects every race still running when the signal aborts, whatever order they ended in", async () => {
    const controller = new AbortController();
    const works = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const races = works.map((w) => new AbortRace(w.promise, controller.signal));
    // End the middle one and the newest (the list head) first: the others must stay linked.
    works[1]!.resolve(1);
    await races[1]!.promise;
    races[1]!.end();
    works[3]!.reject(new Error("boom"));
    await expect(races[3]!.promise).rejects.toThrow("boom");
    races[3]!.end();
    controller.abort();
    await expect(races[0]!.promise).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
    await expect(races[2]!.promise).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
    // The late results of aborted work are discarded (and their rejections handled).
    works[0]!.resolve(0);
    works[2]!.reject(new Error("late"));
    await expect(races[0]!.promise).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
  });

  it("keeps an aborted signal's own reason", async () => {
    const controller = new AbortController();
    const race = new AbortRace(deferred<number>().promise, controller.signal);
    const reason = new EchelonError("ECHELON_TASK_TIMEOUT", "too slow");
    controller.abort(reason);
    await expect(race.promise).rejects.toBe(reason);
  });
});

describe("raceAbort", () => {
  it("resolves with the promise, or rejects when the signal aborts first", async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(3), controller.signal)).resolves.toBe(3);
    const pending = raceAbort(deferred<number>().promise, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
    await expect(raceAbort(Promise.resolve(4), controller.signal)).rejects.toMatchObject({
      code: "ECHELON_CANCELLED",
    });
  });
});
