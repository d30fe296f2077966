/** Data handed to a worker thread at start. */
export interface WorkerBootData {
  /** File URL of the ESM module to load. */
  readonly moduleUrl: string;
  /** Name of the export to call. */
  readonly exportName: string;
}

/** Plain description of an error that crossed the thread boundary. */
export interface ErrorDescription {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  /** The error's own `retryable` property, when it is a boolean (`false` = do not retry). */
  readonly retryable?: boolean;
  /** The error's `details`, as JSON (a JSON round trip of the original). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Messages from the agent to its worker thread. */
export type ToWorker =
  | {
      readonly t: "run";
      readonly id: number;
      readonly work: unknown;
      readonly attempt: number;
      readonly idempotencyKey: string;
      readonly orchestrationId: string;
      readonly level: string;
    }
  | { readonly t: "abort"; readonly id: number; readonly reason: string };

/** How a task ended inside the worker when it did not return a value. */
export type FailureKind = "thrown" | "aborted" | "not-serializable" | "module";

/** Messages from a worker thread to its agent. */
export type FromWorker =
  | { readonly t: "result"; readonly id: number; readonly value: unknown }
  | { readonly t: "error"; readonly id: number; readonly kind: FailureKind; readonly error: ErrorDescription }
  | { readonly t: "progress"; readonly id: number; readonly progress: number; readonly message?: string };
