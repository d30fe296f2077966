import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// One test file at a time: npm-start.test.ts runs `npm start`, whose turbo build restores the
// built files of this package and its dependencies from the cache, rewriting them; the other
// files run those built files (dist/main.js, the analysers' worker module).
export default mergeConfig(
  shared,
  defineConfig({ test: { fileParallelism: false, setupFiles: ["./test/journal-setup.ts"] } }),
);
