/** A job id taken apart by {@link JobId.parse}. */
export interface ParsedJobId {
  /** The step's idempotency key. */
  readonly idempotencyKey: string;
  /** The orchestrator's attempt number. */
  readonly attempt: number;
}

/**
 * The one grammar of BullMQ job ids built from idempotency keys, built and parsed here only.
 *
 * ```
 * job-id = escaped-key "~" attempt
 * ```
 *
 * BullMQ refuses ids with `:` (and ids that are integers), so `%` and `:` of the key are
 * percent-escaped; everything else stays readable in dashboards (`run-1/root/a~1`). The
 * attempt is part of the id: the orchestrator's retry is a new job, while a re-delivery,
 * a re-enqueue after Redis lost the job, or a resume of the same attempt is the same job.
 */
export const JobId = {
  /**
   * The job id of one attempt of a step.
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
   * Takes a job id apart.
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
