import { relative } from "node:path";
import { EchelonError, functionAgent, type AgentType } from "echelon";
import { AuditErrorCode } from "./errors.js";
import { findInstalledPackages, type InstalledPackage, isYarnPnp } from "./inventory.js";

/** What the discovery step answers: the packages found, as the analyse stage fans out over them. */
export interface Discovered {
  /** One entry per installed package: its real directory and its path relative to the project. */
  readonly packages: ReadonlyArray<{ readonly dir: string; readonly label: string }>;
}

/** The task input of the discovery step. */
export interface DiscoverInput {
  /** Project folder whose `node_modules` is walked. */
  readonly root: string;
  /** Most packages listed (a stable subset). */
  readonly limit?: number;
}

/** Where the discovery step leaves what the audit needs besides its answer. */
export interface DiscoverySink {
  /** The packages found, for the progress and the outcome. */
  packages?: readonly InstalledPackage[];
  /** Why there was nothing to audit, when there was not. */
  nothingToAudit?: EchelonError;
}

async function nothingToAudit(root: string): Promise<EchelonError> {
  const pnp = await isYarnPnp(root);
  return new EchelonError(
    AuditErrorCode.NOTHING_TO_AUDIT,
    pnp
      ? `${root} was installed with Yarn Plug'n'Play, which keeps packages in zip archives: there is no node_modules to audit. Install with \`nodeLinker: node-modules\` in .yarnrc.yml, then audit again.`
      : `No installed packages under ${root}/node_modules. Install the project's dependencies first, or pass --root <project folder>.`,
    { details: { root, yarnPnp: pnp } },
  );
}

/**
 * The agent of the audit's first step: walks `node_modules` (npm, pnpm and Yarn layouts; see
 * `findInstalledPackages`) and answers the packages found, which the analyse stage then fans
 * out over (`expand`). With nothing installed it fails with `ECHELON_AUDIT_NOTHING_TO_AUDIT`,
 * also left in `sink` so that the audit can report it as bad input.
 *
 * @param sink - receives the packages found, or the reason there are none
 * @returns the agent type (tertiary, like the other agents doing the audit's work)
 */
export function discoverAgent(sink: DiscoverySink): AgentType {
  return functionAgent(
    { name: "discoverer", level: "tertiary", capabilities: ["audit:discover"], maxInstances: 1 },
    async (work): Promise<Discovered> => {
      const { root, limit } = work.input as DiscoverInput;
      const found = await findInstalledPackages(root, limit);
      if (found.length === 0) {
        sink.nothingToAudit = await nothingToAudit(root);
        throw sink.nothingToAudit;
      }
      sink.packages = found;
      return { packages: found.map((p) => ({ dir: p.dir, label: relative(root, p.dir) })) };
    },
  );
}
