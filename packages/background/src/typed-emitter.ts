import type { Logger } from "@echelon/core";
import type { BackgroundEventMap, BackgroundEventName } from "./types.js";

/** A listener of one executor event. */
export type BackgroundListener<K extends BackgroundEventName> = (status: BackgroundEventMap[K]) => void;

/** A small typed emitter owned by one executor. A listener that throws is logged and never breaks the run. */
export class BackgroundEmitter {
  private readonly listeners = new Map<BackgroundEventName, Set<(status: never) => void>>();

  constructor(private readonly logger: Logger) {}

  on<K extends BackgroundEventName>(event: K, listener: BackgroundListener<K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (status: never) => void);
    return () => set.delete(listener as (status: never) => void);
  }

  emit<K extends BackgroundEventName>(event: K, status: BackgroundEventMap[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as BackgroundListener<K>)(status);
      } catch (error) {
        this.logger.error("background listener threw", {
          event,
          message: (error as Error)?.message ?? String(error),
        });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
