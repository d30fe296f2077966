import {
  DEFAULT_SEED,
  MIXED_BATCHED,
  MIXED_UNBATCHED,
  mapReduceSweep,
  mixedSweep,
  NAMED_KILLS,
} from "./suites.js";
import { failureReport, runSweep, type SweepReport, summaryLine } from "./sweep.js";

/**
 * The full crash sweep (`pnpm --filter @echelon/crash-tests crash:all`): the mixed plan killed
 * after every journal write (batching off, then the store's default batching), the 2,000-leaf
 * map-reduce killed after 50 seeded writes with each batching, and the named kill points.
 * `CRASH_SEED` picks the seed (default 12345); `CRASH_COUNT` the seeded kills per batching
 * (default 50). Prints one summary line per sweep; exits 1 when any kill point did not recover.
 */
async function main(): Promise<void> {
  const seed = Number(process.env.CRASH_SEED ?? DEFAULT_SEED);
  const count = Number(process.env.CRASH_COUNT ?? 50);
  const started = performance.now();
  const reports: SweepReport[] = [];
  const report = (r: SweepReport, extra = ""): void => {
    reports.push(r);
    process.stdout.write(`${summaryLine(r, extra)}\n`);
    const failures = failureReport(r);
    if (failures !== "") process.stdout.write(`${failures}\n`);
  };
  report(await runSweep(mixedSweep(MIXED_UNBATCHED)));
  report(await runSweep(mixedSweep(MIXED_BATCHED)));
  for (const batching of ["default", "off"] as const)
    report(await runSweep(mapReduceSweep(batching, seed, count)), ` (seed ${seed})`);
  for (const named of NAMED_KILLS)
    report(await runSweep({ name: `named: ${named.name}`, spec: named.spec, kills: () => [named.kill] }));
  const total = reports.reduce((n, r) => n + r.outcomes.length, 0);
  const recovered = reports.reduce((n, r) => n + r.recovered, 0);
  process.stdout.write(
    `all: ${recovered}/${total} kill points recovered in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (recovered !== total) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`crash:all failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
});
