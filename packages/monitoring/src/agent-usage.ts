import type { EchelonEvent } from "@echelon/core";
import type { AgentUtilisation, LevelUtilisation } from "./types.js";

interface AgentRecord {
  readonly agentId: string;
  agentType: string;
  level: string;
  capacity: number;
  firstSeen: number;
  retiredAt: number | null;
  busyMs: number;
  tasks: number;
  /** Open spans: key → start. */
  readonly open: Map<string, number>;
}

/** Receives every closed busy span (for time-bucketed trends). */
export type SpanSink = (level: string, start: number, end: number) => void;

/**
 * @internal Busy spans per agent, from `task:started` to the attempt's end (`task:completed`,
 * `task:failed`, `task:cancelled`, `task:retrying`). Utilisation = busy time over
 * (observed wall time × capacity). Coordinator spans (composite nodes) count for the
 * coordinating agent like any other.
 */
export class AgentUsage {
  private readonly agents = new Map<string, AgentRecord>();
  /** span key (orchestrationId + nodePath) → agent id */
  private readonly spanAgent = new Map<string, string>();

  constructor(
    private readonly capacityOf: (agentId: string) => number | undefined,
    private readonly sink: SpanSink,
  ) {}

  /** Applies one event. */
  apply(event: EchelonEvent): void {
    switch (event.type) {
      case "agent:spawned":
        this.agent(event.agentId, event.agentType, event.level, event.ts);
        return;
      case "agent:retired": {
        const a = this.agents.get(event.agentId);
        if (a) a.retiredAt = event.ts;
        return;
      }
      case "task:started": {
        const a = this.agent(event.agentId, event.agentType, event.level, event.ts);
        const key = `${event.orchestrationId}\u0000${event.nodePath}\u0000${event.kind}`;
        this.close(key, event.ts);
        a.open.set(key, event.ts);
        this.spanAgent.set(key, a.agentId);
        return;
      }
      case "task:completed":
      case "task:failed":
      case "task:cancelled":
        this.close(`${event.orchestrationId}\u0000${event.nodePath}\u0000${event.kind}`, event.ts);
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled": {
        // Spans of an ended orchestration cannot stay open (a lost end event must not leak).
        const prefix = `${event.orchestrationId}\u0000`;
        for (const key of [...this.spanAgent.keys()]) if (key.startsWith(prefix)) this.close(key, event.ts);
        return;
      }
      case "task:retrying":
        this.close(`${event.orchestrationId}\u0000${event.nodePath}\u0000leaf`, event.ts);
        this.close(`${event.orchestrationId}\u0000${event.nodePath}\u0000compensation`, event.ts);
        return;
      default:
        return;
    }
  }

  /** Per-agent utilisation at `now`. */
  agentsAt(now: number): AgentUtilisation[] {
    const out: AgentUtilisation[] = [];
    for (const a of this.agents.values()) {
      const end = a.retiredAt ?? now;
      const wallMs = Math.max(0, end - a.firstSeen);
      let busy = a.busyMs;
      for (const start of a.open.values()) busy += Math.max(0, now - start);
      const capacity = this.capacity(a);
      out.push({
        agentId: a.agentId,
        agentType: a.agentType,
        level: a.level,
        capacity,
        busyMs: busy,
        wallMs,
        utilisation: ratio(busy, wallMs * capacity),
        tasks: a.tasks,
        running: a.open.size,
        retired: a.retiredAt !== null,
      });
    }
    return out;
  }

  /**
   * Per-level utilisation at `now`, overall and within `[now - windowMs, now]`.
   *
   * @param windowBusy - busy ms per level within the window from closed spans (trend buckets)
   */
  levelsAt(now: number, windowMs: number, windowBusy: Readonly<Record<string, number>>): LevelUtilisation[] {
    const byLevel = new Map<
      string,
      { agents: number; capacity: number; busy: number; denom: number; wDenom: number; wOpen: number }
    >();
    const from = now - windowMs;
    for (const a of this.agents.values()) {
      const l = byLevel.get(a.level) ?? { agents: 0, capacity: 0, busy: 0, denom: 0, wDenom: 0, wOpen: 0 };
      const capacity = this.capacity(a);
      const end = a.retiredAt ?? now;
      if (a.retiredAt === null) {
        l.agents++;
        l.capacity += capacity;
      }
      let busy = a.busyMs;
      for (const start of a.open.values()) {
        busy += Math.max(0, now - start);
        l.wOpen += Math.max(0, now - Math.max(start, from));
      }
      l.busy += busy;
      l.denom += Math.max(0, end - a.firstSeen) * capacity;
      l.wDenom += Math.max(0, end - Math.max(a.firstSeen, from)) * capacity;
      byLevel.set(a.level, l);
    }
    return [...byLevel.entries()].map(([level, l]) => ({
      level,
      agents: l.agents,
      capacity: l.capacity,
      busyMs: l.busy,
      utilisation: ratio(l.busy, l.denom),
      windowUtilisation: ratio((windowBusy[level] ?? 0) + l.wOpen, l.wDenom),
    }));
  }

  private capacity(a: AgentRecord): number {
    const known = this.capacityOf(a.agentId);
    if (known !== undefined && known > 0) a.capacity = known;
    return a.capacity;
  }

  private agent(agentId: string, agentType: string, level: string, ts: number): AgentRecord {
    let a = this.agents.get(agentId);
    if (!a) {
      a = {
        agentId,
        agentType,
        level,
        capacity: 1,
        firstSeen: ts,
        retiredAt: null,
        busyMs: 0,
        tasks: 0,
        open: new Map(),
      };
      this.agents.set(agentId, a);
    }
    if (a.retiredAt !== null && a.open.size === 0 && ts > a.retiredAt) a.retiredAt = null;
    return a;
  }

  private close(key: string, ts: number): void {
    const agentId = this.spanAgent.get(key);
    if (agentId === undefined) return;
    this.spanAgent.delete(key);
    const a = this.agents.get(agentId);
    const start = a?.open.get(key);
    if (!a || start === undefined) return;
    a.open.delete(key);
    a.busyMs += Math.max(0, ts - start);
    a.tasks++;
    this.sink(a.level, start, ts);
  }
}

function ratio(num: number, denom: number): number {
  if (denom <= 0) return 0;
  return Math.min(1, Math.max(0, num / denom));
}
