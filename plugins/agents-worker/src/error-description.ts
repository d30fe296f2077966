import type { ErrorDescription } from "./protocol.js";

/**
 * The JSON form of an error's `details`, or a note of why it has none: only JSON crosses
 * the boundary, so a cycle or a BigInt is reported instead of failing the report.
 */
function jsonDetails(details: unknown): Readonly<Record<string, unknown>> | undefined {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch (error) {
    return { detailsNotJson: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Describes anything thrown inside a worker thread as plain data that survives
 * `postMessage`: name, message, stack, `code`, a boolean `retryable` and JSON `details`.
 * Runs inside the thread, so it imports nothing from `@echelon/core`.
 *
 * @param error - what the task threw
 * @returns its description
 */
export function describeError(error: unknown): ErrorDescription {
  if (typeof error !== "object" || error === null) return { name: typeof error, message: String(error) };
  const { name, message, code, retryable, details, stack } = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    retryable?: unknown;
    details?: unknown;
    stack?: unknown;
  };
  const json = jsonDetails(details);
  return {
    name: typeof name === "string" ? name : "Object",
    message: typeof message === "string" ? message : String(error),
    ...(typeof stack === "string" ? { stack } : {}),
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof retryable === "boolean" ? { retryable } : {}),
    ...(json !== undefined ? { details: json } : {}),
  };
}
