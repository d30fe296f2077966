/**
 * Bundles a package's tsc output into one ESM file per `exports` entry, the package's runtime
 * entry points, so that `import` reads a handful of files instead of one per source module (the
 * per-file resolve, read and compile of ~280 small files was most of the import time of
 * `echelon`). tsc still emits `dist/` (types, declaration maps, per-file JavaScript the source
 * maps go through); this writes `dist/bundle/`.
 *
 * Run from the package folder after tsc: `node ../../scripts/bundle.mjs [--inline a,b]`.
 * Every bare import of the package's own code stays an import (its dependencies, `@echelon/*`
 * included, so each package stays one module instance), except the packages named in
 * `--inline`, which are bundled together with whatever they import in turn.
 * Each `exports` entry must have `"import": "./dist/bundle/<name>.js"`; its source is
 * `dist/<name>.js`.
 */
import { readFileSync, rmSync } from "node:fs";
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

const ownDist = path.resolve("dist") + path.sep;
const keepImports = {
  name: "keep-imports",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      // Imports made by the package's own code stay imports unless inlined; the imports of an
      // inlined package are bundled with it.
      if (args.importer.startsWith(ownDist) && !inline.has(packageName(args.path))) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
};

rmSync("dist/bundle", { recursive: true, force: true });
await build({
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
  plugins: [keepImports],
});
