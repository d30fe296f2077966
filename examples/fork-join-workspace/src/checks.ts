import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** A workspace package as its manifest describes it. */
export interface WorkspacePackage {
  readonly folder: string;
  readonly name: string;
  readonly private: boolean;
  readonly workspaceDeps: readonly string[];
}

const GROUPS = ["packages", "plugins", "examples"];

/** Reads every workspace package's package.json. */
export async function readManifests(root: string): Promise<WorkspacePackage[]> {
  const out: WorkspacePackage[] = [];
  for (const group of GROUPS) {
    for (const folder of (await readdir(join(root, group))).sort()) {
      const text = await readFile(join(root, group, folder, "package.json"), "utf8").catch(() => null);
      if (text === null) continue;
      const m = JSON.parse(text) as {
        name: string;
        private?: boolean;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const deps = { ...m.dependencies, ...m.peerDependencies };
      out.push({
        folder: `${group}/${folder}`,
        name: m.name,
        private: m.private === true,
        workspaceDeps: Object.entries(deps)
          .filter(([, v]) => v.startsWith("workspace:"))
          .map(([k]) => k)
          .sort(),
      });
    }
  }
  return out;
}

/** Package names that have a changeset in `.changeset/`. */
export async function readChangesets(root: string): Promise<string[]> {
  const dir = join(root, ".changeset");
  const names = new Set<string>();
  for (const file of (await readdir(dir).catch(() => [])).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  )) {
    const text = await readFile(join(dir, file), "utf8");
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    for (const m of front.matchAll(/^["']?([^"':]+)["']?\s*:/gm)) names.add(m[1]!.trim());
  }
  return [...names].sort();
}

/** Counts the lines of TypeScript under each package's `src/`. */
export async function countSourceLines(root: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const group of GROUPS) {
    for (const folder of (await readdir(join(root, group))).sort()) {
      const src = join(root, group, folder, "src");
      const entries = await readdir(src, { recursive: true, withFileTypes: true }).catch(() => []);
      let lines = 0;
      for (const e of entries) {
        if (e.isFile() && e.name.endsWith(".ts"))
          lines += (await readFile(join(e.parentPath, e.name), "utf8")).split("\n").length;
      }
      out[`${group}/${folder}`] = lines;
    }
  }
  return out;
}

/** The join: public packages without a changeset, and workspace dependencies on unknown packages. */
export function consistency(manifests: readonly WorkspacePackage[], changesets: readonly string[]) {
  const names = new Set(manifests.map((m) => m.name));
  return {
    withoutChangeset: manifests.filter((m) => !m.private && !changesets.includes(m.name)).map((m) => m.name),
    unknownDependencies: manifests.flatMap((m) =>
      m.workspaceDeps.filter((d) => !names.has(d)).map((d) => `${m.name} → ${d}`),
    ),
  };
}
