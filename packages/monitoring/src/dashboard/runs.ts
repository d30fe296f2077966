import { isEchelonError, isFinalState, type Logger, type RunSummary } from "@echelon/core";
import type { Monitor } from "../monitor.js";
import type { JournalHistory } from "./journal.js";
import { liveDetail, type OrchestrationDetail, type OrchestrationView, orchestrationView } from "./views.js";

/** @internal Why the journal's runs are missing from a list: the coded error, as the API sends it. */
export interface JournalProblem {
  readonly error: string;
  readonly code: string;
}

/** @internal What {@link DashboardRuns} reads from. */
export interface DashboardRunsOptions {
  readonly monitor: Monitor;
  /** The journal's read side; `null` without a store. */
  readonly journal: JournalHistory | null;
  /** Most runs listed (`historyLimit`). */
  readonly limit: number;
  /** Where a journal failure that costs only part of an answer is logged. */
  readonly logger: Logger;
}

/**
 * @internal The runs the dashboard shows: the monitor's (live, and recent ones it saw finish)
 * merged with the journal's newest, the monitor's view winning for every run it knows, newest
 * first and at most `limit` of them (unfinished live runs are kept beyond it).
 */
export class DashboardRuns {
  /** What each journal run's line looked like when last pushed to the browsers. */
  private readonly pushed = new Map<string, string>();

  private readonly monitor: Monitor;
  private readonly journal: JournalHistory | null;
  private readonly limit: number;
  private readonly logger: Logger;

  constructor(options: DashboardRunsOptions) {
    this.monitor = options.monitor;
    this.journal = options.journal;
    this.limit = options.limit;
    this.logger = options.logger;
  }

  /**
   * The runs to list, newest first: what the monitor tracks and the journal's newest runs it
   * does not, cut at `limit` (an unfinished live run is kept beyond it: it can still be
   * cancelled). When the journal fails, the monitor's runs and the problem.
   */
  async list(): Promise<{ orchestrations: OrchestrationView[]; journal: JournalProblem | null }> {
    let summaries: readonly RunSummary[] = [];
    let problem: JournalProblem | null = null;
    if (this.journal !== null) {
      try {
        summaries = await this.journal.summaries();
      } catch (error) {
        if (!isEchelonError(error)) throw error;
        problem = { error: error.message, code: error.code };
      }
    }
    const entries: { view: OrchestrationView; at: number; keep: boolean }[] = [];
    const known = new Set<string>();
    for (const o of this.monitor.listOrchestrations()) {
      known.add(o.orchestrationId);
      const view = orchestrationView(this.monitor, o.orchestrationId);
      if (view !== null) entries.push({ view, at: o.startedAtEpochMs, keep: !isFinalState(view.state) });
    }
    const now = Date.now();
    for (const s of summaries) {
      if (known.has(s.orchestrationId) || this.journal === null) continue;
      const at = s.startedAtEpochMs ?? s.endedAtEpochMs ?? 0;
      entries.push({ view: this.journal.listView(s, now), at, keep: false });
    }
    entries.sort((a, b) => b.at - a.at);
    const shown = entries.filter((e, i) => i < this.limit || e.keep);
    return { orchestrations: shown.map((e) => e.view), journal: problem };
  }

  /**
   * The journal runs whose line changed since the last call, for the live stream. Reads only
   * the cached summaries (a refresh runs in the background once they are `historyRefreshMs`
   * old), so a flush never waits for the store.
   *
   * @param known - ids the monitor tracks (their lines come from the monitor)
   */
  changedJournalViews(known: ReadonlySet<string>): OrchestrationView[] {
    if (this.journal === null) return [];
    const now = Date.now();
    const changed: OrchestrationView[] = [];
    const listed = new Set<string>();
    for (const s of this.journal.peek()) {
      const id = s.orchestrationId;
      if (known.has(id)) continue;
      listed.add(id);
      const view = this.journal.listView(s, now);
      const signature = JSON.stringify([s, view.orphaned, view.progress]);
      if (this.pushed.get(id) === signature) continue;
      this.pushed.set(id, signature);
      changed.push(view);
    }
    for (const id of this.pushed.keys()) if (!listed.has(id)) this.pushed.delete(id);
    return changed;
  }

  /**
   * One run's line and tree: the monitor's when it knows the run's plan (with how it ended from
   * the journal, once finished), else folded from the journal; `null` when neither knows it.
   *
   * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED` when only the journal could tell and it fails
   */
  async detail(id: string): Promise<OrchestrationDetail | null> {
    const live = liveDetail(this.monitor, id);
    if (live !== null && (live.tree || this.journal === null)) return this.withOutcome(strip(live));
    if (this.journal === null) return null;
    try {
      return (await this.journal.detail(id)) ?? (live === null ? null : strip(live));
    } catch (error) {
      // The monitor knows the run, only not its plan: its line is still worth showing.
      if (live !== null) return strip(live);
      throw error;
    }
  }

  /** A finished live run's detail with how it ended, folded from the journal when it holds the run. */
  private async withOutcome(live: OrchestrationDetail): Promise<OrchestrationDetail> {
    if (this.journal === null || !isFinalState(live.orchestration.state)) return live;
    try {
      const outcome = (await this.journal.detail(live.orchestration.id))?.outcome ?? null;
      return { ...live, outcome };
    } catch (error) {
      // The journal failing costs only the outcome: the monitor's line and tree are still right.
      this.logger.warn("dashboard: journal failed; a finished run is shown without its outcome", {
        orchestrationId: live.orchestration.id,
        message: error instanceof Error ? error.message : String(error),
      });
      return live;
    }
  }
}

function strip(live: OrchestrationDetail & { tree: boolean }): OrchestrationDetail {
  return { orchestration: live.orchestration, rows: live.rows, outcome: live.outcome };
}
