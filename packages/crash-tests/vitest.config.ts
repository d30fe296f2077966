import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// The harness runs its own child processes two at a time (2 cores): one test file at a time.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
