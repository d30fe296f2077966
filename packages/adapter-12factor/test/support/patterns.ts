import type { EchelonPlugin } from "@echelon/core/plugin";
import { referencePatterns } from "@echelon/testing";

/** The reference patterns `parallel`, `sequence` and `settled` from `@echelon/testing`. */
export function testPatterns(): EchelonPlugin {
  return referencePatterns("adapter-12factor-test-patterns");
}

/** A promise the test settles by hand: lets an agent block until the test says so (no timers). */
export function gate(): {
  wait: (signal: AbortSignal) => Promise<void>;
  open: () => void;
  waiting: () => number;
} {
  let opened = false;
  let count = 0;
  const waiters = new Set<() => void>();
  return {
    wait(signal) {
      if (opened) return Promise.resolve();
      count++;
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          waiters.delete(done);
          resolve();
        };
        waiters.add(done);
        signal.addEventListener(
          "abort",
          () => {
            waiters.delete(done);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    open() {
      opened = true;
      for (const w of [...waiters]) w();
    },
    waiting: () => count,
  };
}
