import { lstat, readdir, realpath } from "node:fs/promises";
import { join } from "node:path";

/** One installed package found on disk. */
export interface InstalledPackage {
  /** Directory holding its package.json (real path, no symlinks). */
  readonly dir: string;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function isRealDir(path: string): Promise<boolean> {
  try {
    const s = await lstat(path);
    return s.isDirectory() && !s.isSymbolicLink();
  } catch {
    return false;
  }
}

/** Package directories directly under one `node_modules` (scoped ones included), real dirs only. */
async function packagesIn(nodeModules: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await entries(nodeModules)).sort()) {
    if (name.startsWith(".")) continue;
    const path = join(nodeModules, name);
    if (name.startsWith("@")) {
      for (const inner of (await entries(path)).sort()) {
        const scoped = join(path, inner);
        if (await isRealDir(scoped)) found.push(scoped);
      }
    } else if (await isRealDir(path)) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Lists the packages installed under `root/node_modules`: pnpm's virtual store
 * (`node_modules/.pnpm/<id>/node_modules/<name>`) and hoisted real directories, each once.
 *
 * @param root - a project folder
 * @param limit - most packages returned (sorted by path, so the subset is stable)
 * @returns package directories
 */
export async function findInstalledPackages(root: string, limit?: number): Promise<InstalledPackage[]> {
  const nodeModules = join(root, "node_modules");
  const dirs = await packagesIn(nodeModules);
  for (const id of (await entries(join(nodeModules, ".pnpm"))).sort()) {
    if (id === "node_modules" || id.startsWith(".")) continue;
    dirs.push(...(await packagesIn(join(nodeModules, ".pnpm", id, "node_modules"))));
  }
  const seen = new Set<string>();
  const out: InstalledPackage[] = [];
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      await lstat(join(real, "package.json"));
    } catch {
      continue;
    }
    out.push({ dir: real });
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}
