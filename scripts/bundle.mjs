/**
 * Bundles a package's tsc output into one ESM file per `exports` entry, the package's runtime
 * entry points, so that `import` reads a handful of files instead of one per source module (the
 * per-file resolve, read and compile of ~280 small files was most of the import time of
 * `echelon`). tsc still emits `dist/` (types, declaration maps, per-file JavaScript the source
 * maps go through); this writes `dist/bundle/`.
 *
 * Run from the package folder after tsc: `node ../../scripts/bundle.mjs [--inline a,b]`.
 * Every bare import of workspace code stays an import (its dependencies, `@echelon/*` included,
 * so `@echelon/core` stays one module instance), except the packages named in `--inline`, which
 * are bundled: a third-party package together with whatever it imports in turn, a workspace
 * package with its own code only. An import left in the output must be a dependency of the
 * package (checked), so an inlined workspace package's own dependencies must be inlined too or
 * be declared by this package. Bundled code must not `require()` (ESM output has no `require`):
 * the check below refuses such output.
 * Each `exports` entry must have `"import": "./dist/bundle/<name>.js"`; its source is
 * `dist/<name>.js`.
 */
import { readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const args = process.argv.slice(2);
const inlineAt = args.indexOf("--inline");
const inline = new Set(inlineAt >= 0 ? (args[inlineAt + 1] ?? "").split(",").filter(Boolean) : []);

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const entryPoints = {};
for (const [key, target] of Object.entries(pkg.exports ?? {})) {
  const file = typeof target === "string" ? target : target.import;
  const match = /^\.\/dist\/bundle\/(.+)\.js$/.exec(file ?? "");
  if (match === null) {
    throw new Error(`${pkg.name}: exports["${key}"] must import "./dist/bundle/<name>.js", got ${file}`);
  }
  entryPoints[match[1]] = `dist/${match[1]}.js`;
}

/** The package name of a bare specifier (`zod/v4` → `zod`, `@scope/a/b` → `@scope/a`). */
function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const inNodeModules = `${path.sep}node_modules${path.sep}`;
const keepImports = {
  name: "keep-imports",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      // Imports made by workspace code (this package's, or an inlined workspace package's) stay
      // imports unless inlined, so `@echelon/core` is always one shared module instance; what an
      // inlined third-party package imports in turn is bundled with it.
      if (!args.importer.includes(inNodeModules) && !inline.has(packageName(args.path))) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
};

rmSync("dist/bundle", { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  mainFields: ["module", "main"],
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
  plugins: [keepImports],
});

// An import left in the bundle must resolve from this package: an inlined workspace package's
// own dependencies have to be inlined too, or be dependencies of this package.
const declared = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
]);
const builtins = new Set(builtinModules);
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith(".js") && /__require\("/.test(readFileSync(file, "utf8"))) {
    throw new Error(
      `${pkg.name}: ${file} calls require(), which fails in an ES module; do not inline that package`,
    );
  }
  for (const imported of output.imports) {
    if (!imported.external || imported.path.startsWith("node:") || builtins.has(imported.path)) continue;
    if (!declared.has(packageName(imported.path))) {
      throw new Error(
        `${pkg.name}: ${file} imports "${imported.path}", which is not a dependency of ${pkg.name}; inline it (--inline) or declare it`,
      );
    }
  }
}
