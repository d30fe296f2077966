import { definePlugin, type EchelonPlugin, EVENT_STORE } from "@echelon/core/plugin";
import type { SqliteStoreOptions } from "./options.js";
import { SqliteEventStore } from "./sqlite-event-store.js";
import { VERSION } from "./version.js";

/** The SQLite store plugin: an {@link EchelonPlugin} that also exposes its store. */
export interface SqliteStorePlugin extends EchelonPlugin {
  /** The store it binds to `EVENT_STORE` (for `stats()`, `summaries()`, …). */
  readonly store: SqliteEventStore;
}

/**
 * The SQLite journal as a plugin: binds a {@link SqliteEventStore} to core's `EVENT_STORE`.
 * `start` opens the file (so a damaged or too-new journal fails the boot with its code) and
 * applies retention; `stop` writes what is buffered and closes it.
 *
 * @param options - file, durability, batching, retention
 * @returns the plugin, with `plugin.store`
 * @throws EchelonError `ECHELON_SQLITE_OPTIONS_INVALID` for a bad option (at once); the open
 *   refusals (`ECHELON_SQLITE_*`) from `start`, wrapped by the orchestrator's plugin host
 * @example
 * ```ts
 * import { createOrchestrator } from "echelon";
 * import { sqliteStore } from "@echelon/store-sqlite";
 *
 * const orchestrator = createOrchestrator({ plugins: [sqliteStore({ path: ".echelon/echelon.db" })] });
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions = {}): SqliteStorePlugin {
  const store = new SqliteEventStore(options);
  const plugin = definePlugin({
    name: "@echelon/store-sqlite",
    version: VERSION,
    register(ctx) {
      ctx.bind(EVENT_STORE, store);
    },
    start() {
      store.open();
    },
    stop() {
      return store.close();
    },
  });
  return { ...plugin, store };
}
