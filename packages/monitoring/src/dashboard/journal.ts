import {
  type EchelonError,
  type EventStore,
  isFinalState,
  type Logger,
  type RunSummary,
  replayOrchestration,
} from "@echelon/core";
import { planTree } from "../plan-tree.js";
import { foldView, journalFailed, outcomeOf, summaryView } from "./journal-view.js";
import { type OrchestrationDetail, type OrchestrationView, treeRows } from "./views.js";

/** @internal What {@link JournalHistory} needs. */
export interface JournalHistoryOptions {
  /** The journal. */
  readonly store: EventStore;
  /** The newest runs listed (`summaries({ limit })`). */
  readonly limit: number;
  /** How long a list of summaries is reused before the store is asked again, ms. */
  readonly refreshMs: number;
  /** Where a failed background refresh is logged. */
  readonly logger: Logger;
}

/** Folds of finished runs kept: at most this many runs… */
const FOLD_CACHE_RUNS = 64;
/** …and at most this many tree rows in all (a 10,000-node run is 10,000 rows). */
const FOLD_CACHE_ROWS = 200_000;

type Cached =
  | { readonly at: number; readonly summaries: readonly RunSummary[]; readonly error?: undefined }
  | { readonly at: number; readonly summaries?: undefined; readonly error: EchelonError };

/**
 * @internal The dashboard's read side of a journal (core's `EventStore`): the newest runs'
 * summaries, cached for `refreshMs` so neither the page's requests nor the live stream's
 * flushes hit the store more often than that (a failure is cached as long, so a broken store
 * is not hammered either); runs folded from their events with core's `replayOrchestration`
 * into the page's shapes, finished ones cached (they never change) within a bound; cancel
 * requests written for the process that runs the run.
 */
export class JournalHistory {
  private cached: Cached | null = null;
  private refreshing: Promise<readonly RunSummary[]> | null = null;
  /** Finished runs' folds, least recently used first. */
  private readonly folds = new Map<string, OrchestrationDetail>();
  private foldRows = 0;

  constructor(private readonly options: JournalHistoryOptions) {}

  /** True when the store can list its runs (`summaries`); without it only `read` is used. */
  get listsRuns(): boolean {
    return typeof this.options.store.summaries === "function";
  }

  /**
   * The newest runs' summaries, newest first, from the cache while it is fresh.
   *
   * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED` when the store's `summaries` fails
   */
  async summaries(): Promise<readonly RunSummary[]> {
    if (!this.listsRuns) return [];
    const cached = this.fresh();
    if (cached?.error) throw cached.error;
    if (cached?.summaries) return cached.summaries;
    return this.refresh();
  }

  /**
   * The cached summaries without waiting (empty before the first answer or after a failure);
   * starts a refresh in the background when they are stale. For the live stream's flushes.
   */
  peek(): readonly RunSummary[] {
    if (!this.listsRuns) return [];
    if (this.fresh() === null) {
      this.refresh().catch((error: unknown) =>
        this.options.logger.warn("dashboard: journal refresh failed", { message: String(error) }),
      );
    }
    return this.cached?.summaries ?? [];
  }

  /**
   * One run's summary: from the cached list, else (a run older than the listed ones) from the
   * store's whole list. `null` when the store has none or cannot list runs.
   *
   * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED`
   */
  async summary(id: string): Promise<RunSummary | null> {
    if (!this.listsRuns) return null;
    const listed = (await this.summaries()).find((s) => s.orchestrationId === id);
    if (listed !== undefined) return listed;
    const all = await this.call("summaries", id, () => this.options.store.summaries?.() ?? []);
    return all.find((s) => s.orchestrationId === id) ?? null;
  }

  /** The page's summary line of a listed run; progress and counts once a fold of it is cached. */
  listView(s: RunSummary, now: number): OrchestrationView {
    const folded = this.folds.get(s.orchestrationId);
    if (folded !== undefined && folded.orchestration.state === s.state) return folded.orchestration;
    return summaryView(s, now);
  }

  /** True when a fold of the run is cached (its list line then has progress and counts). */
  isFolded(id: string): boolean {
    return this.folds.has(id);
  }

  /**
   * The run folded from its events: summary line and tree rows, or `null` when the journal
   * holds no event of it.
   *
   * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED` when the store's `read` (or, for an unfinished run, `summaries`) fails
   */
  async detail(id: string): Promise<OrchestrationDetail | null> {
    const hit = this.folds.get(id);
    if (hit !== undefined) {
      this.folds.delete(id);
      this.folds.set(id, hit);
      return hit;
    }
    const events = await this.call("read", id, () => this.options.store.read(id));
    if (events.length === 0) return null;
    const { status, state, result } = replayOrchestration(events);
    const final = isFinalState(status.state);
    // A finished run's line needs nothing but its events; an unfinished one, who holds it.
    const summary = final ? null : await this.summary(id);
    const detail: OrchestrationDetail = {
      orchestration: foldView(id, status, state, summary, Date.now()),
      rows: treeRows(planTree(state)),
      outcome: outcomeOf(result),
    };
    if (final) this.remember(id, detail);
    return detail;
  }

  /**
   * Writes a cancel request for the process that runs the run (it polls `cancelRequested`).
   * `null` when the store cannot carry cancel requests.
   *
   * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED` when the store's `requestCancel` fails
   */
  async requestCancel(id: string): Promise<"requested" | "already-finished" | "unknown" | null> {
    const store = this.options.store;
    if (typeof store.requestCancel !== "function") return null;
    const outcome = await this.call("requestCancel", id, () => store.requestCancel!(id));
    // The run's line changes (cancel requested): ask the store again on the next look.
    this.cached = null;
    return outcome;
  }

  private fresh(): Cached | null {
    const cached = this.cached;
    return cached !== null && Date.now() - cached.at < this.options.refreshMs ? cached : null;
  }

  private refresh(): Promise<readonly RunSummary[]> {
    if (this.refreshing !== null) return this.refreshing;
    const store = this.options.store;
    const loading = this.call("summaries", null, () => store.summaries?.({ limit: this.options.limit }) ?? [])
      .then(
        (summaries) => {
          this.cached = { at: Date.now(), summaries };
          return summaries;
        },
        (error: EchelonError) => {
          this.cached = { at: Date.now(), error };
          throw error;
        },
      )
      .finally(() => {
        if (this.refreshing === loading) this.refreshing = null;
      });
    this.refreshing = loading;
    return loading;
  }

  /** Calls the store, turning any failure (thrown or rejected) into a coded error. */
  private async call<T>(operation: string, id: string | null, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw journalFailed(this.options.store.name, operation, id, error);
    }
  }

  private remember(id: string, detail: OrchestrationDetail): void {
    this.folds.set(id, detail);
    this.foldRows += detail.rows.length;
    for (const [oldest, d] of this.folds) {
      if (this.folds.size <= FOLD_CACHE_RUNS && this.foldRows <= FOLD_CACHE_ROWS) break;
      this.folds.delete(oldest);
      this.foldRows -= d.rows.length;
    }
  }
}
