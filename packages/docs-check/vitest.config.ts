import { mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// Each test file runs the TypeScript compiler over many files: one file at a time, so two
// compilations do not compete for the CPU, and with room for a loaded CI machine.
export default mergeConfig(shared, { test: { fileParallelism: false, testTimeout: 240_000 } });
