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

/** Messages a Node-module child sends back. */
export type RunnerMessage =
  | { readonly t: "result"; readonly value: unknown }
  | {
      readonly t: "error";
      readonly kind: RunnerFailureKind;
      readonly error: { readonly name: string; readonly message: string; readonly code?: string };
    }
  | { readonly t: "progress"; readonly progress: number; readonly message?: string };
