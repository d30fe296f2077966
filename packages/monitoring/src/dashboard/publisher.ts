import type { Monitor } from "../monitor.js";
import { SseHub } from "./sse.js";
import { type OrchestrationView, orchestrationView, overview } from "./views.js";

/** @internal Lines of runs the monitor does not track that changed since the last call (journal runs). */
export type ExtraViews = (known: ReadonlySet<string>) => OrchestrationView[];

/**
 * @internal Collects what changed between flushes and pushes it to every browser as one
 * `batch` message per interval (never one message per event). Each batch has a sequence
 * number so a page can order a tree it fetched against the batches around it. Journal runs
 * (`extraViews`) ride along when their line changed; they are asked for only while someone listens.
 */
export class BatchPublisher {
  readonly hub = new SseHub();
  seq = 0;
  private readonly dirtyNodes = new Map<string, Set<string>>();
  private readonly dirtyOrchs = new Set<string>();
  private events = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly monitor: Monitor,
    flushMs: number,
    private readonly extraViews: ExtraViews = () => [],
  ) {
    this.unsubscribe = monitor.onUpdate((u) => {
      this.events++;
      if (u.orchestrationId === "") return;
      this.dirtyOrchs.add(u.orchestrationId);
      if (u.nodePath === null) return;
      let set = this.dirtyNodes.get(u.orchestrationId);
      if (!set) {
        set = new Set();
        this.dirtyNodes.set(u.orchestrationId, set);
      }
      set.add(u.nodePath);
    });
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  /** Sends one batch if anything changed and anyone listens. */
  flush(): void {
    let extra: OrchestrationView[] = [];
    if (this.hub.size > 0) {
      const known = new Set<string>();
      // Running orchestrations change (elapsed, ETA) even between events.
      for (const o of this.monitor.listOrchestrations()) {
        known.add(o.orchestrationId);
        if (o.state === "running") this.dirtyOrchs.add(o.orchestrationId);
      }
      extra = this.extraViews(known);
    }
    if (this.events === 0 && this.dirtyOrchs.size === 0 && extra.length === 0) return;
    this.seq++;
    if (this.hub.size === 0) {
      this.clear();
      return;
    }
    const nodes: Array<[string, string, string, string | null, number]> = [];
    for (const [id, paths] of this.dirtyNodes) {
      for (const path of paths) {
        const n = this.monitor.getNodeStatus(id, path);
        if (n) nodes.push([id, path, n.state, n.agentId, n.attempts]);
      }
    }
    const orchestrations = [...this.dirtyOrchs]
      .map((id) => orchestrationView(this.monitor, id))
      .filter((v) => v !== null)
      .concat(extra);
    const events = this.monitor.recentEvents(Math.min(this.events, 100));
    this.clear();
    this.hub.broadcast("batch", {
      seq: this.seq,
      nodes,
      orchestrations,
      events,
      overview: overview(this.monitor),
    });
  }

  /** Stops the timer, detaches from the monitor and ends the streams. */
  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.hub.close();
  }

  private clear(): void {
    this.dirtyNodes.clear();
    this.dirtyOrchs.clear();
    this.events = 0;
  }
}
