#!/usr/bin/env node
import { join } from "node:path";
import { checkDocSnippets } from "./check.js";
import { formatReport } from "./format.js";

// dist/main.js → the package folder (where the packages resolve) and the repository root.
const workspace = join(import.meta.dirname, "..");
const root = process.argv[2] ?? join(workspace, "..", "..");
const report = checkDocSnippets({ root, workspace });
process.stdout.write(formatReport(report));
process.exitCode = report.problems.length > 0 ? 1 : 0;
