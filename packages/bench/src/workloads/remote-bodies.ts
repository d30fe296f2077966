import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** Task bodies of the remote workloads, the same for Echelon's hosts and raw BullMQ workers. */
export type RemoteBody = "noop" | "timer" | "cpu";

/**
 * SHA-256 chained `rounds` times over a seed: CPU-bound work with a checkable output.
 *
 * @param seed - the task's input
 * @param rounds - hashes in the chain
 * @returns the last digest, hex, 16 characters
 */
export function hashChain(seed: number, rounds: number): string {
  let digest: Buffer = Buffer.from(String(seed));
  for (let i = 0; i < rounds; i++) digest = createHash("sha256").update(digest).digest();
  return digest.toString("hex").slice(0, 16);
}

/**
 * Runs one task body on its input: `noop` returns the input, `timer` waits `input` ms on a real,
 * cancellable timer and returns 1, `cpu` returns {@link hashChain}(seed, rounds) of `[seed, rounds]`.
 *
 * @param body - which body
 * @param input - the task's input
 * @param signal - cancels the timer
 * @returns the output
 */
export async function runBody(body: RemoteBody, input: unknown, signal?: AbortSignal): Promise<unknown> {
  if (body === "noop") return input;
  if (body === "timer") {
    await sleep(input as number, undefined, signal === undefined ? undefined : { signal });
    return 1;
  }
  const [seed, rounds] = input as [number, number];
  return hashChain(seed, rounds);
}
