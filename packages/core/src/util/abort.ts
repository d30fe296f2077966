import { setMaxListeners } from "node:events";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

const handedOut = new WeakMap<AbortSignal, number>();
const RAISE_AFTER = 8;

/**
 * Lifts Node's listener-count warning on a signal that is being shared by many agents (each
 * may add its own abort listener): after the signal was handed out a few times, once per
 * signal. Signals handed to one agent only are left alone (raising the limit is not free).
 * Core's own listeners use {@link onAbort}, which adds a single native listener per signal.
 */
export function allowManyListeners(signal: AbortSignal): void {
  const count = handedOut.get(signal) ?? 0;
  if (count < 0) return;
  if (count < RAISE_AFTER) {
    handedOut.set(signal, count + 1);
    return;
  }
  handedOut.set(signal, -1);
  setMaxListeners(0, signal);
}

const abortCallbacks = new WeakMap<AbortSignal, Set<() => void>>();
/** Signal → the signal it was linked from by {@link linkedController}. */
const linkedFrom = new WeakMap<AbortSignal, AbortSignal>();

/**
 * True when `signal` is `ancestor` or was made (directly or through other links) by
 * {@link linkedController} from `ancestor` — so it aborts whenever `ancestor` does.
 */
export function followsSignal(signal: AbortSignal, ancestor: AbortSignal): boolean {
  let current: AbortSignal | undefined = signal;
  for (let hops = 0; current !== undefined && hops < 64; hops++) {
    if (current === ancestor) return true;
    current = linkedFrom.get(current);
  }
  return false;
}

/**
 * Calls `callback` once when `signal` aborts. Cheaper than `addEventListener` on hot paths:
 * one native listener per signal fans out to a Set, and unsubscribing is a Set delete.
 *
 * @returns a function that unsubscribes
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    let cancelled = false;
    queueMicrotask(() => {
      if (!cancelled) callback();
    });
    return () => {
      cancelled = true;
    };
  }
  let callbacks = abortCallbacks.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    abortCallbacks.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const f of [...set]) f();
        set.clear();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => set.delete(callback);
}

/**
 * A controller aborted when `parent` aborts. The link is removed by `dispose()` so
 * long-lived parents do not collect listeners.
 */
export interface LinkedController {
  /** The controller; abort it to stop only what follows this link. */
  readonly controller: AbortController;
  /** The controller's signal, aborted by the controller or by the parent (with the parent's reason). */
  readonly signal: AbortSignal;
  /** Removes the listener on the parent; call it when done. Safe to call more than once. */
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
  if (parent === undefined) return { controller, signal: controller.signal, dispose() {} };
  linkedFrom.set(controller.signal, parent);
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, signal: controller.signal, dispose() {} };
  }
  const dispose = onAbort(parent, () => controller.abort(parent.reason));
  return { controller, signal: controller.signal, dispose };
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
    const timer = setTimeout(() => {
      off?.();
      resolve();
    }, ms);
    const off =
      signal === undefined
        ? undefined
        : onAbort(signal, () => {
            clearTimeout(timer);
            reject(abortError(signal));
          });
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
    const off = onAbort(signal, () => {
      promise.catch(() => {});
      reject(abortError(signal));
    });
    promise.then(
      (value) => {
        off();
        resolve(value);
      },
      (error: unknown) => {
        off();
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
  const off = onAbort(b, () => link.controller.abort(b.reason));
  return {
    controller: link.controller,
    signal: link.signal,
    dispose: () => {
      off();
      link.dispose();
    },
  };
}
