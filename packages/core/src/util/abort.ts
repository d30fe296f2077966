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
  const race = new AbortRace(promise, signal);
  return race.promise.then(
    (value) => {
      race.end();
      return value;
    },
    (error: unknown) => {
      race.end();
      throw error;
    },
  );
}

/** The resolving functions `capture` was last handed (a module-level executor: no closure per promise). */
let capturedResolve: ((value: never) => void) | null = null;
let capturedReject: ((reason: unknown) => void) | null = null;

function capture(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** The races of one signal: an intrusive list behind one native listener. */
class RaceList {
  head: AbortRace<unknown> | null = null;

  constructor(signal: AbortSignal) {
    signal.addEventListener("abort", () => this.abortAll(signal), { once: true });
  }

  abortAll(signal: AbortSignal): void {
    let race = this.head;
    this.head = null;
    while (race !== null) {
      const next: AbortRace<unknown> | null = race.next;
      race.prev = null;
      race.next = null;
      race.linked = false;
      race.reject(abortError(signal));
      race = next;
    }
  }
}

const raceLists = new WeakMap<AbortSignal, RaceList>();

/**
 * `promise`, or a rejection as soon as `signal` aborts, without a closure or a Set entry per
 * race (the hot path of every leaf attempt). Await `race.promise`, then call `end()`. The signal
 * must not be aborted yet. Internal.
 */
export class AbortRace<T> {
  /** Settles with `promise`, or rejects with the signal's cancellation error when it aborts first. */
  readonly promise: Promise<T>;
  /** @internal */
  readonly reject: (reason: unknown) => void;
  /** @internal */
  prev: AbortRace<unknown> | null = null;
  /** @internal */
  next: AbortRace<unknown> | null = null;
  /** @internal */
  linked = true;
  private readonly list: RaceList;

  constructor(promise: Promise<T>, signal: AbortSignal) {
    this.promise = new Promise<T>(capture);
    const resolve = capturedResolve as (value: T) => void;
    this.reject = capturedReject!;
    capturedResolve = null;
    capturedReject = null;
    promise.then(resolve, this.reject);
    let list = raceLists.get(signal);
    if (list === undefined) {
      list = new RaceList(signal);
      raceLists.set(signal, list);
    }
    this.list = list;
    const head = list.head;
    this.next = head;
    if (head !== null) head.prev = this as AbortRace<unknown>;
    list.head = this as AbortRace<unknown>;
  }

  /** Stops listening for the abort (once the race settled). Safe to call more than once. */
  end(): void {
    if (!this.linked) return;
    this.linked = false;
    const { prev, next } = this;
    if (prev === null) this.list.head = next;
    else prev.next = next;
    if (next !== null) next.prev = prev;
    this.prev = null;
    this.next = null;
  }
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
