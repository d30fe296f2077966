import { type AgentWork, NonRetryableError } from "@echelon/core";
import { TransportErrorCode } from "./errors.js";
import { attemptOf, JobId } from "./job-id.js";

/**
 * Versions of the job payload. Hosts read all three; orchestrators write 3 unless told
 * otherwise (`remoteAgent({ wireVersion })`) or until a host of an older release refuses it.
 * Versions 1 and 2 go with long job ids (`JobId.build`), version 3 with compact ones
 * (`JobId.compact`).
 */
export type WireVersion = 1 | 2 | 3;

/** The payload version orchestrators write by default. */
export const WIRE_VERSION: WireVersion = 3;

/** Payload version 1: every fact under its long name. Plain JSON. */
export interface JobDataV1 {
  readonly v: 1;
  readonly work: AgentWork;
  /** The step's idempotency key (`orchestrationId/nodePath`), the same across attempts and resumes. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly orchestrationId: string;
  readonly level: string;
  readonly levelIndex: number;
  /** Capabilities of the remote agent type that enqueued it (used when the task requires none). */
  readonly offered: readonly string[];
  /** Random per enqueue: tells this enqueue's job from one a crashed process left behind. */
  readonly token: string;
}

/**
 * Payload version 2: short names, defaults left out, nothing the host can derive. The
 * idempotency key and attempt are read from the job id (see `JobId`), the orchestration id
 * from the key and the node path (sent as `g` only when it cannot be derived).
 */
export interface JobDataV2 {
  readonly v: 2;
  /** `work.taskId`. */
  readonly t: string;
  /** `work.nodePath`. */
  readonly n: string;
  /** `work.description`. */
  readonly d: string;
  /** `work.input` (absent when undefined). */
  readonly i?: unknown;
  /** `work.capabilities` (absent when none). */
  readonly c?: readonly string[];
  /** `work.priority` (absent when 0). */
  readonly p?: number;
  /** `work.metadata` (absent when empty). */
  readonly m?: Readonly<Record<string, unknown>>;
  /** Level name. */
  readonly l: string;
  /** Level index. */
  readonly x: number;
  /** Capabilities the remote agent type offers (only when the task requires none). */
  readonly o?: readonly string[];
  /** Orchestration id, when {@link orchestrationIdOf} cannot derive it. */
  readonly g?: string;
  /** The enqueue's token (see {@link JobDataV1.token}). */
  readonly k: string;
}

/**
 * Payload version 3: version 2's fields for a job with a compact id (`JobId.compact`), which
 * carries no key. The key travels here once: as `g` (the orchestration id) when it is
 * `g + "/" + n` (how core builds keys), else as `y` (with `g` only when the orchestration id
 * cannot be derived from `y`). The attempt is still read from the id (`…~attempt`).
 */
export interface JobDataV3 extends Omit<JobDataV2, "v"> {
  readonly v: 3;
  /** The idempotency key, when it is not `g/n`. */
  readonly y?: string;
}

/** A job's data, any version. */
export type RemoteJobData = JobDataV1 | JobDataV2 | JobDataV3;

/** The facts of one attempt, as the orchestrator has them and the host reads them back. */
export interface JobFacts {
  readonly work: AgentWork;
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly orchestrationId: string;
  readonly level: string;
  readonly levelIndex: number;
  readonly offered: readonly string[];
  readonly token: string;
}

/** What a host reads from a job: the facts and the payload version (it answers in the same one). */
export interface ReadJob extends JobFacts {
  readonly v: WireVersion;
}

/**
 * The orchestration id of key `orchestrationId/nodePath` or `orchestrationId/nodePath#suffix`
 * (how core builds idempotency keys), or `undefined` when the key has neither shape.
 *
 * @param key - the idempotency key
 * @param nodePath - the task's node path
 * @returns the orchestration id, or `undefined`
 */
export function orchestrationIdOf(key: string, nodePath: string): string | undefined {
  const tail = nodePath.length + 1;
  if (key.length > tail && key.endsWith(nodePath) && key.charCodeAt(key.length - tail) === 47) {
    return key.slice(0, key.length - tail);
  }
  const hash = key.lastIndexOf("#");
  if (hash > tail && key.startsWith(nodePath, hash - nodePath.length) && key.charCodeAt(hash - tail) === 47) {
    return key.slice(0, hash - tail);
  }
  return undefined;
}

function isEmpty(record: Readonly<Record<string, unknown>> | undefined): boolean {
  if (record === undefined || record === null) return true;
  for (const _ in record) return false;
  return true;
}

/**
 * The job data of one attempt in payload version `version`.
 *
 * @param facts - the attempt
 * @param version - 1, 2 or 3
 * @returns the data to add with the job
 */
export function encodeJobData(facts: JobFacts, version: WireVersion): RemoteJobData {
  if (version === 1) return { v: 1, ...facts };
  const { work } = facts;
  const data: { -readonly [K in keyof Omit<JobDataV3, "v">]: JobDataV3[K] } & { v: 2 | 3 } = {
    v: version,
    t: work.taskId,
    n: work.nodePath,
    d: work.description,
    l: facts.level,
    x: facts.levelIndex,
    k: facts.token,
  };
  if (work.input !== undefined) data.i = work.input;
  if (work.capabilities.length > 0) data.c = work.capabilities;
  else data.o = facts.offered;
  if (work.priority !== 0) data.p = work.priority;
  if (!isEmpty(work.metadata)) data.m = work.metadata;
  if (version === 3) {
    const key = facts.idempotencyKey;
    const orch = facts.orchestrationId;
    const derivable =
      key.length === orch.length + 1 + work.nodePath.length &&
      key.startsWith(orch) &&
      key.charCodeAt(orch.length) === 47 &&
      key.endsWith(work.nodePath);
    if (derivable) {
      data.g = orch;
      return data as JobDataV3;
    }
    data.y = key;
  }
  if (orchestrationIdOf(facts.idempotencyKey, work.nodePath) !== facts.orchestrationId) {
    data.g = facts.orchestrationId;
  }
  return data as JobDataV2 | JobDataV3;
}

/**
 * The enqueue token of a job's data (either version), `undefined` for other data.
 *
 * @param data - the job's data, parsed
 * @returns the token
 */
export function tokenOf(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as { v?: unknown; token?: unknown; k?: unknown };
  const token = d.v === 2 || d.v === 3 ? d.k : d.token;
  return typeof token === "string" ? token : undefined;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((s) => typeof s === "string");

function readV1(d: Partial<JobDataV1>): ReadJob | null {
  if (
    typeof d.work === "object" &&
    d.work !== null &&
    typeof d.idempotencyKey === "string" &&
    typeof d.attempt === "number" &&
    Array.isArray(d.work.capabilities)
  ) {
    return d as ReadJob;
  }
  return null;
}

function readV2(d: Partial<JobDataV3>, jobId: string): ReadJob | null {
  if (
    typeof d.t !== "string" ||
    typeof d.n !== "string" ||
    typeof d.d !== "string" ||
    typeof d.l !== "string" ||
    typeof d.x !== "number" ||
    typeof d.k !== "string" ||
    (d.c !== undefined && !isStrings(d.c)) ||
    (d.o !== undefined && !isStrings(d.o))
  ) {
    return null;
  }
  let id: { idempotencyKey: string; attempt: number } | null;
  if (d.v === 3) {
    if ((d.y !== undefined && typeof d.y !== "string") || (d.g !== undefined && typeof d.g !== "string"))
      return null;
    const attempt = attemptOf(jobId);
    const key = d.y ?? (d.g !== undefined ? `${d.g}/${d.n}` : undefined);
    id = attempt === null || key === undefined ? null : { idempotencyKey: key, attempt };
  } else {
    id = JobId.parse(jobId);
  }
  if (id === null) return null;
  const orchestrationId = d.g ?? orchestrationIdOf(id.idempotencyKey, d.n);
  if (orchestrationId === undefined) return null;
  return {
    v: d.v === 3 ? 3 : 2,
    work: {
      taskId: d.t,
      nodePath: d.n,
      description: d.d,
      input: d.i,
      capabilities: d.c ?? [],
      priority: d.p ?? 0,
      metadata: d.m ?? {},
    },
    idempotencyKey: id.idempotencyKey,
    attempt: id.attempt,
    orchestrationId,
    level: d.l,
    levelIndex: d.x,
    offered: d.o ?? [],
    token: d.k,
  };
}

/**
 * Reads a job's data of payload version 1, 2 or 3 (a host of this release serves orchestrators
 * of any of them during a rolling deploy).
 *
 * @param data - the job's data
 * @param jobId - the job's id (version 2 carries the idempotency key and attempt only there,
 *   version 3 the attempt)
 * @returns the facts and the version
 * @throws NonRetryableError `ECHELON_TRANSPORT_JOB_INVALID` (its details carry the version seen)
 */
export function readJobData(data: unknown, jobId: string): ReadJob {
  const d = data as { v?: unknown } | null;
  if (typeof d === "object" && d !== null) {
    const read =
      d.v === 2 || d.v === 3
        ? readV2(d as Partial<JobDataV3>, jobId)
        : d.v === 1
          ? readV1(d as Partial<JobDataV1>)
          : null;
    if (read !== null) return read;
  }
  throw new NonRetryableError(
    `Job "${jobId}" is not an Echelon job of payload version 1, 2 or 3 (got version ${String(d?.v)}). Give Echelon its own queue, and run worker hosts of the orchestrator's @echelon/transport-bullmq version or newer.`,
    { code: TransportErrorCode.JOB_INVALID, details: { jobId, version: (d?.v as string | number) ?? null } },
  );
}
