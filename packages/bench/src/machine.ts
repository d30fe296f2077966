import os from "node:os";

/** The machine a benchmark ran on, with its load at start and end. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  /** 1, 5 and 15 minute load averages when the bench started. */
  readonly loadAtStart: readonly number[];
  /** 1, 5 and 15 minute load averages when the bench ended (equal to start until {@link finishMachineInfo}). */
  readonly loadAtEnd: readonly number[];
  readonly startedAt: string;
  readonly endedAt: string;
}

function load(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/**
 * Describes this machine now.
 *
 * @returns machine info with the current load as both start and end
 */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const now = new Date().toISOString();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    loadAtStart: load(),
    loadAtEnd: load(),
    startedAt: now,
    endedAt: now,
  };
}

/**
 * Records the load and time at the end of the bench.
 *
 * @param info - the info taken at start
 * @returns a copy with `loadAtEnd` and `endedAt` filled in
 */
export function finishMachineInfo(info: MachineInfo): MachineInfo {
  return { ...info, loadAtEnd: load(), endedAt: new Date().toISOString() };
}
