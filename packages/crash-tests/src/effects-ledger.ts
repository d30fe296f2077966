import { appendFileSync, existsSync, readFileSync } from "node:fs";

/** The lines of a ledger file (an unterminated last line counts: it was written before the kill). */
export function readLedger(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

/** Which process an attempt happened in: the one that was killed, or the one that resumed. */
export type Phase = "run" | "resume";

/**
 * The side effects of the harness's agents, kept in a file as an agent that honours
 * idempotency keys keeps them: an effect is a line holding its key, appended only when the
 * key is not in the file yet (read-check-append; one process at a time writes, so a set
 * loaded at start plus `appendFileSync` is exact). Every attempt is also logged to a second
 * file as `<phase> <key>`, so the parent can tell how many leaves ran more than once.
 */
export class EffectsLedger {
  private readonly applied: Set<string>;

  /**
   * @param effectsFile - one applied key per line
   * @param attemptsFile - one `<phase> <key>` line per attempt
   * @param phase - the process this ledger lives in
   * @param honourKeys - false only to prove the checks catch an agent that ignores the key
   */
  constructor(
    private readonly effectsFile: string,
    private readonly attemptsFile: string,
    private readonly phase: Phase,
    private readonly honourKeys = true,
  ) {
    this.applied = new Set(readLedger(effectsFile));
  }

  /** Logs an attempt at `key` that applies nothing (a step that fails, a step that cancels). */
  attempt(key: string): void {
    appendFileSync(this.attemptsFile, `${this.phase} ${key}\n`);
  }

  /**
   * Logs the attempt and applies the effect of `key` unless it was applied before.
   *
   * @returns true when the effect was applied now
   */
  apply(key: string): boolean {
    this.attempt(key);
    if (this.honourKeys && this.applied.has(key)) return false;
    appendFileSync(this.effectsFile, `${key}\n`);
    this.applied.add(key);
    return true;
  }
}
