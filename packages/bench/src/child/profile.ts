import { Session } from "node:inspector/promises";
import type { HotSpot, ProfileSummary } from "./protocol.js";
import { SourceMapLocator } from "./source-maps.js";

/** The parts of a V8 CPU profile (`Profiler.Profile`) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: ProfileFrame;
    readonly children?: readonly number[];
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** A profile node's call frame: the function and where it starts (0-based line and column). */
export interface ProfileFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber?: number;
}

const SPECIAL: Readonly<Record<string, string>> = {
  "(garbage collector)": "gc",
  "(idle)": "idle",
  "(program)": "program",
  "(root)": "program",
};

/**
 * A readable location for a profiled script URL: Echelon's `dist/*.js` become
 * `<package>/src/*.ts`, dependencies `<dependency>/<file>`, Node internals stay as they are.
 *
 * @param url - the script URL from the profile
 * @returns a short file name
 */
export function locate(url: string): string {
  if (url === "") return "(native)";
  const own = /\/(?:packages|plugins)\/([^/]+)\/(?:dist|src)\/(.+)\.[jt]s$/.exec(url);
  if (own !== null && !url.includes("/node_modules/.pnpm/")) return `${own[1]}/src/${own[2]}.ts`;
  const dep = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(url);
  if (dep !== null) return `${dep[1]}/${dep[2]}`;
  return url.replace(/^file:\/\//, "");
}

/**
 * A readable location for a profiled function: its script's source map first (a bundled
 * frame, e.g. in `core/dist/bundle/chunks/chunk-….js`, becomes the `src/*.ts` file the
 * function was bundled from), then {@link locate} on the result.
 *
 * @param frame - the call frame from the profile
 * @param maps - source-map reader (cached across calls)
 * @returns a short file name
 */
export function locateFrame(frame: ProfileFrame, maps: SourceMapLocator): string {
  const original = maps.original(frame.url, frame.lineNumber, frame.columnNumber ?? 0);
  return locate(original ?? frame.url);
}

/** True for Echelon's own code (a workspace package's `src`), the bench's workloads excluded. */
function isOwn(file: string): boolean {
  return /^[a-z0-9-]+\/src\//.test(file) && !file.startsWith("bench/");
}

function packageOf(file: string): string {
  if (file.startsWith("node:") || file.startsWith("(native)")) return "node";
  const slash = file.indexOf("/src/");
  if (slash > 0 && !file.includes("node_modules")) return file.slice(0, slash);
  if (file.includes("/bench/") || file.startsWith("bench/")) return "bench";
  return "dependencies";
}

/**
 * Summarises CPU profiles: self time per function (top `limit`), per package, and the shares
 * of garbage collection and idle time, over all the profiles given.
 *
 * Frames are located through their scripts' source maps ({@link locateFrame}).
 *
 * @param profiles - V8 CPU profiles
 * @param limit - how many functions to list, default 15
 * @param maps - source-map reader, default one reading the maps from disk
 * @returns the summary
 */
export function summarizeProfiles(
  profiles: readonly CpuProfile[],
  limit = 15,
  maps: SourceMapLocator = new SourceMapLocator(),
): ProfileSummary {
  const selfUs = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  let gc = 0;
  let idle = 0;
  const ownUs = new Map<string, number>();
  for (const profile of profiles) {
    const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const files = new Map<number, string>();
    const fileOf = (id: number, frame: ProfileFrame): string => {
      let file = files.get(id);
      if (file === undefined) {
        file = locateFrame(frame, maps);
        files.set(id, file);
      }
      return file;
    };
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const ownCache = new Map<number, string | null>();
    const ownFrame = (id: number): string | null => {
      const cached = ownCache.get(id);
      if (cached !== undefined) return cached;
      let found: string | null = null;
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byNode.get(at);
        if (frame === undefined) break;
        const file = fileOf(at, frame);
        if (file.startsWith("bench/")) {
          // The task bodies are the workload, not Echelon's cost.
          found = "(task bodies of the workload)";
          break;
        }
        if (isOwn(file)) {
          found = `${file}:${frame.functionName || "(anonymous)"}`;
          break;
        }
      }
      ownCache.set(id, found);
      return found;
    };
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const us = deltas[i + 1] ?? 0;
      const frame = byNode.get(samples[i]!);
      if (frame === undefined) continue;
      total += us;
      const special = SPECIAL[frame.functionName];
      if (special === "gc") gc += us;
      if (special === "idle") idle += us;
      const file = special !== undefined ? `(${special})` : fileOf(samples[i]!, frame);
      const name = special !== undefined ? file : `${file}:${frame.functionName || "(anonymous)"}`;
      selfUs.set(name, (selfUs.get(name) ?? 0) + us);
      const pkg = special !== undefined ? special : packageOf(file);
      packages.set(pkg, (packages.get(pkg) ?? 0) + us);
      const own = special !== undefined ? null : ownFrame(samples[i]!);
      if (own !== null) ownUs.set(own, (ownUs.get(own) ?? 0) + us);
    }
  }
  const pct = (us: number): number => (total > 0 ? Math.round((1000 * us) / total) / 10 : 0);
  const top: HotSpot[] = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: pct(us) }));
  return {
    totalMs: Math.round(total / 1000),
    gcPercent: pct(gc),
    idlePercent: pct(idle),
    top,
    byEchelonFrame: [...ownUs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: pct(us) })),
    byPackage: Object.fromEntries(
      [...packages.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, pct(v)]),
    ),
  };
}

/**
 * Records the V8 CPU profile of this process (sampling every 100 µs) over several measured
 * spans, leaving setup outside.
 */
export class ProfileRecorder {
  private readonly session = new Session();
  private readonly profiles: CpuProfile[] = [];
  private enabled = false;

  /** Starts profiling a span. */
  async start(): Promise<void> {
    if (!this.enabled) {
      this.session.connect();
      await this.session.post("Profiler.enable");
      await this.session.post("Profiler.setSamplingInterval", { interval: 100 });
      this.enabled = true;
    }
    await this.session.post("Profiler.start");
  }

  /** Stops the span and keeps its profile. */
  async stop(): Promise<void> {
    const { profile } = await this.session.post("Profiler.stop");
    this.profiles.push(profile as unknown as CpuProfile);
  }

  /** The summary of every span so far. */
  summary(): ProfileSummary {
    return summarizeProfiles(this.profiles);
  }

  /** Disconnects from the inspector. */
  close(): void {
    if (this.enabled) this.session.disconnect();
  }
}
