import { EchelonError } from "@echelon/core";

/**
 * The catalogue of error codes raised by `@echelon/monitoring`. Append-only: a code is never
 * renamed or reused for another meaning.
 */
export const MonitoringErrorCode = {
  /** An option of `createMonitor`, an exporter or `startDashboard` is invalid. `details.option` names it. */
  INVALID_OPTIONS: "ECHELON_MONITORING_INVALID_OPTIONS",
  /** The dashboard was asked to bind a non-loopback address without a token. */
  TOKEN_REQUIRED: "ECHELON_DASHBOARD_TOKEN_REQUIRED",
  /** The dashboard's HTTP server could not listen (port in use, address not available). */
  LISTEN_FAILED: "ECHELON_DASHBOARD_LISTEN_FAILED",
  /** A Prometheus metric name is already registered in the target registry (two exporters, one registry). */
  METRIC_CONFLICT: "ECHELON_MONITORING_METRIC_CONFLICT",
  /** The dashboard could not read the journal (the store's `summaries` or `read` threw) or record a cancel request in it (`requestCancel` threw); the store's error is the `cause`. The API answers 500 with this code; the runs the monitor saw are still served. */
  JOURNAL_FAILED: "ECHELON_DASHBOARD_JOURNAL_FAILED",
  /** A dashboard request named an orchestration id that is not a valid path segment (a broken `%` escape) or is longer than 1,024 characters. The API answers 400. */
  ID_MALFORMED: "ECHELON_DASHBOARD_ID_MALFORMED",
  /** A run known only from the journal (another process runs it) cannot be cancelled because the journal's store has no `requestCancel`. The API answers 409; cancel it in the process that runs it. */
  CANCEL_UNAVAILABLE: "ECHELON_DASHBOARD_CANCEL_UNAVAILABLE",
  /** A dashboard cancel named a run that had already finished (completed, failed or cancelled), live or journaled: nothing was cancelled. The API answers 409 with `{ finished: true, state }`. */
  RUN_FINISHED: "ECHELON_DASHBOARD_RUN_FINISHED",
} as const;

/** One of the monitoring error codes. */
export type MonitoringErrorCode = (typeof MonitoringErrorCode)[keyof typeof MonitoringErrorCode];

/** @internal Throws `ECHELON_MONITORING_INVALID_OPTIONS` for `option`. */
export function invalidOption(where: string, option: string, expected: string, value: unknown): never {
  throw new EchelonError(
    MonitoringErrorCode.INVALID_OPTIONS,
    `${where}: option "${option}" must be ${expected}, got ${describe(value)}.`,
    { details: { option, expected } },
  );
}

/** @internal Checks an optional positive integer option. */
export function checkPositiveInt(where: string, option: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    invalidOption(where, option, "a positive integer", value);
  }
}

/** @internal Checks an optional integer option within `[min, max]`. */
export function checkIntInRange(
  where: string,
  option: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalidOption(
      where,
      option,
      `an integer from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`,
      value,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 60));
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}
