import { hash } from "node:crypto";

/** A job id taken apart by {@link JobId.parse}. */
export interface ParsedJobId {
  /** The step's idempotency key. */
  readonly idempotencyKey: string;
  /** The orchestrator's attempt number. */
  readonly attempt: number;
}

/** Characters of the key's SHA-256 in base64url kept in a compact id: 12 = its first 9 bytes (72 bits). */
const COMPACT_HASH_CHARS = 12;

/**
 * The grammars of BullMQ job ids built from idempotency keys, built (and, for long ids,
 * parsed) here only.
 *
 * ```
 * long-id    = escaped-key "~" attempt            ; payload versions 1 and 2
 * compact-id = base64url(sha256(key)[0..9]) "~" attempt   ; payload version 3
 * ```
 *
 * The attempt is part of both: the orchestrator's retry is a new job, while a re-delivery, a
 * re-enqueue after Redis lost the job, or a resume of the same attempt is the same job. Both
 * are deterministic in (key, attempt), never contain `:` and are never integers (BullMQ refuses
 * those). Long ids are readable in dashboards (`run-1/root/a~1`); compact ids are not (the
 * key travels in the job data instead), but BullMQ repeats the id in every key and command
 * of a job, so a short one saves Redis several hundred bytes per job.
 */
export const JobId = {
  /**
   * The long, readable job id of one attempt (payload versions 1 and 2): the key with `%` and
   * `:` percent-escaped, then `~attempt`. {@link JobId.parse} gives the key and attempt back.
   *
   * @param idempotencyKey - the step's key (`orchestrationId/nodePath`)
   * @param attempt - the orchestrator's attempt number (1 for the first)
   * @returns the job id
   */
  build(idempotencyKey: string, attempt: number): string {
    const escaped =
      idempotencyKey.includes("%") || idempotencyKey.includes(":")
        ? idempotencyKey.replace(/%/g, "%25").replace(/:/g, "%3A")
        : idempotencyKey;
    return `${escaped}~${attempt}`;
  },

  /**
   * The compact job id of one attempt (payload version 3, the default): the first 9 bytes of
   * the SHA-256 of the key in base64url (12 characters of `A–Z a–z 0–9 - _`), then `~attempt`
   * — about 14 characters instead of the key's 40 or more.
   *
   * It is not parseable: the key cannot be read back from it, so version 3 jobs carry the key
   * in their data. Collisions: ids only need to be unique among the jobs present in one queue
   * at a time (waiting, running, or kept finished for `keepJobsForMs`); with 72 random-looking
   * bits, the chance that any two of n distinct keys collide is below n² / 2⁷³ — about 10⁻¹⁰
   * for a million jobs in a queue at once, 10⁻⁸ for ten million.
   *
   * @param idempotencyKey - the step's key
   * @param attempt - the orchestrator's attempt number (1 for the first)
   * @returns the job id
   */
  compact(idempotencyKey: string, attempt: number): string {
    // One-shot hash (about 6× cheaper than createHash); 12 base64url characters are exactly 9 bytes.
    return `${hash("sha256", idempotencyKey, "base64url").slice(0, COMPACT_HASH_CHARS)}~${attempt}`;
  },

  /**
   * Takes a long job id apart. A compact id "parses" to its hash as key — not the key — so
   * read the key of a version 3 job from its data.
   *
   * @param jobId - an id made by {@link JobId.build}
   * @returns the key and attempt, or `null` for an id not made here
   */
  parse(jobId: string): ParsedJobId | null {
    const m = /^(.*)~([1-9][0-9]*)$/.exec(jobId);
    if (m === null) return null;
    const key = m[1]!;
    return {
      idempotencyKey: key.includes("%") ? key.replace(/%3A/g, ":").replace(/%25/g, "%") : key,
      attempt: Number(m[2]),
    };
  },
} as const;

/**
 * The attempt at the end of a job id of either grammar (`…~attempt`), or `null`.
 *
 * @param jobId - the job's id
 * @returns the attempt
 */
export function attemptOf(jobId: string): number | null {
  const tilde = jobId.lastIndexOf("~");
  if (tilde < 0) return null;
  const tail = jobId.slice(tilde + 1);
  return /^[1-9][0-9]*$/.test(tail) ? Number(tail) : null;
}

/**
 * The job id payload version `version` implies: long ids for versions 1 and 2, compact for 3.
 *
 * @param idempotencyKey - the step's key
 * @param attempt - the attempt number
 * @param version - the payload version the job is written in
 * @returns the job id
 */
export function jobIdFor(idempotencyKey: string, attempt: number, version: number): string {
  return version >= 3 ? JobId.compact(idempotencyKey, attempt) : JobId.build(idempotencyKey, attempt);
}
