import { access, lstat, readdir, realpath } from "node:fs/promises";
import { dirname, join } from "node:path";

/** One installed package found on disk. */
export interface InstalledPackage {
  /** Directory holding its package.json (real path, no symlinks). */
  readonly dir: string;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return []; // no such folder: nothing installed there
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

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Package directories under one `node_modules`, scoped ones included, and — recursively — under
 * their own nested `node_modules` (npm and Yarn nest a version that conflicts with the hoisted
 * one). Real directories only: symlinks (pnpm's links, workspace packages, `.bin`) are skipped.
 */
async function packagesIn(nodeModules: string, found: string[]): Promise<void> {
  for (const name of await entries(nodeModules)) {
    if (name.startsWith(".")) continue; // .bin, .pnpm, .package-lock.json, .yarn-integrity, …
    const path = join(nodeModules, name);
    const dirs = name.startsWith("@") ? (await entries(path)).map((inner) => join(path, inner)) : [path];
    for (const dir of dirs) {
      if (!(await isRealDir(dir))) continue;
      found.push(dir);
      await packagesIn(join(dir, "node_modules"), found);
    }
  }
}

/**
 * Lists the packages installed under `root/node_modules`, whichever package manager installed
 * them: npm's and Yarn's flat layout with nested `node_modules`, and pnpm's virtual store
 * (`node_modules/.pnpm/<id>/node_modules/<name>`, where the other entries are symlinks). Each
 * package is listed once (by real path), in a stable order, so a limited subset is stable.
 *
 * @param root - a project folder
 * @param limit - most packages returned
 * @returns package directories
 */
export async function findInstalledPackages(root: string, limit?: number): Promise<InstalledPackage[]> {
  const nodeModules = join(root, "node_modules");
  const dirs: string[] = [];
  await packagesIn(nodeModules, dirs);
  for (const id of await entries(join(nodeModules, ".pnpm"))) {
    if (id === "node_modules" || id.startsWith(".")) continue;
    await packagesIn(join(nodeModules, ".pnpm", id, "node_modules"), dirs);
  }
  const seen = new Set<string>();
  const out: InstalledPackage[] = [];
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real) || !(await exists(join(real, "package.json")))) continue;
    seen.add(real);
    out.push({ dir: real });
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

/**
 * Whether `root` was installed by Yarn's Plug'n'Play linker, which keeps packages in zip
 * archives and writes no `node_modules` (so there is nothing on disk to audit).
 *
 * @param root - a project folder
 * @returns true when `.pnp.cjs` (or the older `.pnp.js`) is there
 */
export async function isYarnPnp(root: string): Promise<boolean> {
  return (await exists(join(root, ".pnp.cjs"))) || (await exists(join(root, ".pnp.js")));
}

/**
 * The folder an audit without `--root` looks at: the nearest one, from `from` upwards, with
 * packages installed in its `node_modules` (as npm finds a project from any of its folders).
 * A workspace package whose `node_modules` holds only links is passed over.
 *
 * @param from - where the user is
 * @returns that folder, or `from` itself when there is none (the audit then says so)
 */
export async function findProjectRoot(from: string): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    if ((await findInstalledPackages(dir, 1)).length > 0) return dir;
    if (dirname(dir) === dir) return from;
  }
}
