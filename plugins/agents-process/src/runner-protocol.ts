/** The one message a Node-module child receives. */
export interface RunMessage {
  readonly t: "run";
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly work: unknown;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly orchestrationId: string;
  readonly level: string;
}

/** How the function failed inside the child. */
export type RunnerFailureKind = "thrown" | "aborted" | "not-serializable" | "module";

/** Plain description of an error that crossed the process boundary. */
export interface ErrorDescription {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** The error's own `retryable` property, when it is a boolean (`false` = do not retry). */
  readonly retryable?: boolean;
  /** The error's `details`, as JSON (a JSON round trip of the original). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Messages a Node-module child sends back. */
export type RunnerMessage =
  | { readonly t: "result"; readonly value: unknown }
  | { readonly t: "error"; readonly kind: RunnerFailureKind; readonly error: ErrorDescription }
  | { readonly t: "progress"; readonly progress: number; readonly message?: string };

/** Argument that tells the runner it leads a process group of its own. */
export const OWN_GROUP_FLAG = "--echelon-own-process-group";

const KINDS: ReadonlySet<string> = new Set(["thrown", "aborted", "not-serializable", "module"]);

/**
 * `received` as a runner message, or undefined when it is not one: the function itself may
 * call `process.send` with anything, and only well-formed messages may answer the task.
 */
export function runnerMessage(received: unknown): RunnerMessage | undefined {
  if (typeof received !== "object" || received === null) return undefined;
  const m = received as Record<string, unknown>;
  if (m.t === "result" && "value" in m) return received as RunnerMessage;
  if (m.t === "progress" && typeof m.progress === "number") return received as RunnerMessage;
  if (m.t === "error" && typeof m.kind === "string" && KINDS.has(m.kind)) {
    const error = m.error as Record<string, unknown> | null;
    if (typeof error === "object" && error !== null && typeof error.message === "string")
      return received as RunnerMessage;
  }
  return undefined;
}
