import type { EchelonErrorCode } from "./codes.js";

/** Options accepted by {@link EchelonError}. */
export interface EchelonErrorOptions {
  /** The underlying error, if this one wraps another. */
  readonly cause?: unknown;
  /** Structured, JSON-serialisable facts about the failure (paths, ids, limits). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The JSON form of an {@link EchelonError}, as stored in events and results. */
export interface EchelonErrorJson {
  /** Always `EchelonError`. */
  readonly name: "EchelonError";
  /** The error's stable code (`ECHELON_<AREA>_<WHAT>`). */
  readonly code: EchelonErrorCode;
  /** What happened and what to do. */
  readonly message: string;
  /** The error's `details`; absent when empty. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** A summary of the wrapped error, one level deep; absent when there was none. */
  readonly cause?: {
    /** The cause's `name` (`Error`, `TypeError`, …), or its `typeof` when something other than an Error was thrown. */
    readonly name: string;
    /** The cause's message (or the thrown value as a string). */
    readonly message: string;
    /** The cause's code, when it is an {@link EchelonError} itself. */
    readonly code?: string;
  };
}

/**
 * The one error class of Echelon. Every failure the library reports carries a stable
 * `code` (see `docs/errors.md`), a message that says what happened and what to do, and
 * optional `details` and `cause`.
 *
 * @example
 * ```ts
 * try { await orchestrator.orchestrateComplexTask(spec); }
 * catch (e) { if (isEchelonError(e, "ECHELON_SPEC_INVALID")) console.error(e.details); }
 * ```
 */
export class EchelonError extends Error {
  /** Stable machine-readable code, `ECHELON_<AREA>_<WHAT>`. */
  readonly code: EchelonErrorCode;
  /** Structured facts about the failure. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: EchelonErrorCode, message: string, options: EchelonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "EchelonError";
    this.code = code;
    this.details = options.details ?? {};
  }

  /** A JSON-serialisable form of the error, used by events, stores and tool boundaries. */
  toJSON(): EchelonErrorJson {
    const cause = this.cause;
    return {
      name: "EchelonError",
      code: this.code,
      message: this.message,
      ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}),
      ...(cause instanceof Error
        ? {
            cause: {
              name: cause.name,
              message: cause.message,
              ...(cause instanceof EchelonError ? { code: cause.code } : {}),
            },
          }
        : cause !== undefined
          ? { cause: { name: typeof cause, message: String(cause) } }
          : {}),
    };
  }
}

/**
 * True when `value` is an {@link EchelonError}, optionally with the given code.
 *
 * @param value - anything caught
 * @param code - when given, the error must carry exactly this code
 * @returns whether `value` is such an error
 */
export function isEchelonError(value: unknown, code?: EchelonErrorCode): value is EchelonError {
  return value instanceof EchelonError && (code === undefined || value.code === code);
}

/**
 * Turns anything thrown into an {@link EchelonError}: an EchelonError is returned as it is,
 * anything else is wrapped under `code` with the original as `cause`.
 *
 * @param value - the thrown value
 * @param code - the code to use when wrapping
 * @param message - the message to use when wrapping; defaults to the original message
 * @returns an EchelonError
 */
export function toEchelonError(value: unknown, code: EchelonErrorCode, message?: string): EchelonError {
  if (value instanceof EchelonError) return value;
  const original = value instanceof Error ? value.message : String(value);
  return new EchelonError(code, message ?? original, { cause: value });
}
