import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/** A package written into a fixture tree. */
export interface FixturePackage {
  readonly name: string;
  readonly version: string;
  /** The `license` field; omitted from package.json when undefined. */
  readonly license?: string;
}

/** The packages every fixture layout installs: one of each kind of licence the policy meets. */
export const FIXTURE_PACKAGES = {
  a: { name: "a", version: "1.0.0", license: "MIT" },
  b: { name: "@scope/b", version: "2.0.0", license: "(MIT OR Apache-2.0)" },
  c: { name: "c", version: "3.0.0", license: "GPL-3.0-only" },
  d: { name: "d", version: "0.1.0" },
} as const satisfies Record<string, FixturePackage>;

const made: string[] = [];

/** A fresh temporary folder, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = "audit-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder made by {@link tempDir}. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

async function writePackage(dir: string, pkg: FixturePackage): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = { name: pkg.name, version: pkg.version, ...(pkg.license ? { license: pkg.license } : {}) };
  await writeFile(join(dir, "package.json"), JSON.stringify(manifest));
  await writeFile(join(dir, "index.js"), `module.exports = ${JSON.stringify(pkg.name)};\n`);
  await writeFile(join(dir, "README.md"), `# ${pkg.name}\n\nA fixture package for the dependency audit.\n`);
}

async function link(target: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(relative(dirname(path), target), path);
}

/**
 * npm's layout (also Yarn classic's and Yarn berry's `node-modules` linker): packages flat under
 * `node_modules`, a conflicting version nested under its dependant, `.bin` links and a lock file.
 */
export async function npmLayout(root: string): Promise<string> {
  const nm = join(root, "node_modules");
  const { a, b, c, d } = FIXTURE_PACKAGES;
  await writePackage(join(nm, "a"), a);
  await writePackage(join(nm, "@scope", "b"), b);
  await writePackage(join(nm, "a", "node_modules", "c"), c);
  await writePackage(join(nm, "d"), d);
  await link(join(nm, "a", "index.js"), join(nm, ".bin", "a"));
  await writeFile(join(nm, ".package-lock.json"), "{}");
  return root;
}

/** Yarn classic's layout: npm's, plus its integrity file. */
export async function yarnLayout(root: string): Promise<string> {
  await npmLayout(root);
  await writeFile(join(root, "node_modules", ".yarn-integrity"), "{}");
  await writeFile(join(root, "yarn.lock"), "# yarn lockfile v1\n");
  return root;
}

/**
 * pnpm's layout: every package once in the `.pnpm` store, dependencies as symlinks beside it,
 * direct dependencies as symlinks in `node_modules`, hoisted ones in `.pnpm/node_modules`.
 */
export async function pnpmLayout(root: string): Promise<string> {
  const nm = join(root, "node_modules");
  const store = (id: string, name: string) => join(nm, ".pnpm", id, "node_modules", name);
  const { a, b, c, d } = FIXTURE_PACKAGES;
  await writePackage(store("a@1.0.0", "a"), a);
  await writePackage(store("@scope+b@2.0.0", "@scope/b"), b);
  await writePackage(store("c@3.0.0", "c"), c);
  await writePackage(store("d@0.1.0", "d"), d);
  await link(store("c@3.0.0", "c"), store("a@1.0.0", "c"));
  await link(store("a@1.0.0", "a"), join(nm, "a"));
  await link(store("@scope+b@2.0.0", "@scope/b"), join(nm, "@scope", "b"));
  await link(store("d@0.1.0", "d"), join(nm, "d"));
  await link(store("c@3.0.0", "c"), join(nm, ".pnpm", "node_modules", "c"));
  await writeFile(join(nm, ".modules.yaml"), "layoutVersion: 5\n");
  return root;
}

/** Yarn berry's Plug'n'Play install: no `node_modules`, packages in zip archives. */
export async function yarnPnpLayout(root: string): Promise<string> {
  await writeFile(join(root, ".pnp.cjs"), "// Plug'n'Play runtime\n");
  await mkdir(join(root, ".yarn", "cache"), { recursive: true });
  await writeFile(
    join(root, "package.json"),
    JSON.stringify({ name: "pnp-project", dependencies: { a: "1.0.0" } }),
  );
  return root;
}
