import { setMaxListeners } from "node:events";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

/**
 * A controller aborted when `parent` aborts. The link is removed by `dispose()` so
 * long-lived parents do not collect listeners.
 */
export interface LinkedController {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Creates an AbortController that follows `parent`.
 *
 * @param parent - signal to follow (optional)
 * @returns the linked controller
 */
export function linkedController(parent?: AbortSignal): LinkedController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (parent === undefined) return { controller, signal: controller.signal, dispose() {} };
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, signal: controller.signal, dispose() {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  return {
    controller,
    signal: controller.signal,
    dispose: () => parent.removeEventListener("abort", onAbort),
  };
}

/** The standard cancellation error for an aborted signal (keeps an EchelonError reason as it is). */
export function abortError(signal: AbortSignal, what = "The task"): EchelonError {
  const reason: unknown = signal.reason;
  if (reason instanceof EchelonError) return reason;
  return new EchelonError(CoreErrorCode.CANCELLED, `${what} was cancelled.`, {
    cause: reason,
  });
}

/** Throws the signal's cancellation error if it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}

/**
 * Waits `ms` milliseconds (a real timer: backoff, not work), rejecting early when `signal` aborts.
 *
 * @throws EchelonError `ECHELON_CANCELLED` when aborted
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Resolves or rejects with `promise`, or rejects as soon as `signal` aborts (the promise is
 * then left to settle on its own; its late result is discarded).
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A signal aborted when either `a` or `b` aborts (with that signal's reason). Call
 * `dispose()` when done so neither input keeps a listener.
 */
export function combineSignals(a: AbortSignal, b: AbortSignal): LinkedController {
  const link = linkedController(a);
  if (b.aborted) {
    link.controller.abort(b.reason);
    return link;
  }
  const onAbort = () => link.controller.abort(b.reason);
  b.addEventListener("abort", onAbort, { once: true });
  return {
    controller: link.controller,
    signal: link.signal,
    dispose: () => {
      b.removeEventListener("abort", onAbort);
      link.dispose();
    },
  };
}
