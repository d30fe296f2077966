import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Agent, type AgentType, EchelonError } from "@echelon/core";
import { isAgent, isAgentType } from "@echelon/core/plugin";
import { CliErrorCode } from "./errors.js";

function invalid(path: string, message: string, cause?: unknown): EchelonError {
  return new EchelonError(CliErrorCode.AGENTS_MODULE_INVALID, `--agents ${path}: ${message}`, {
    ...(cause !== undefined ? { cause } : {}),
    details: { module: path },
  });
}

/**
 * Loads the agents a module exports: `export const agents = [...]`, `export default [...]`, or a
 * (possibly async) function returning the list, as `createAgents` or the default export.
 * Entries are agent types (`functionAgent(...)`, `workerAgent(...)`) or agent objects.
 *
 * @param path - module path, relative to the current directory, or a package name
 * @returns the agents
 * @throws EchelonError `ECHELON_CLI_AGENTS_MODULE_INVALID` naming what to fix
 */
export async function loadAgents(path: string): Promise<Array<AgentType | Agent>> {
  const isPath = path.startsWith(".") || path.startsWith("/") || /\.[cm]?js$/.test(path);
  const specifier = isPath ? pathToFileURL(resolve(path)).href : path;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw invalid(path, `cannot load the module (${reason}). Pass the path of a built .js/.mjs file.`, error);
  }
  let list: unknown = mod.agents ?? mod.default ?? mod.createAgents;
  if (typeof list === "function") list = await (list as () => unknown)();
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid(
      path,
      "exports no agents. Export `agents` (an array of functionAgent(...) types or agent objects), a default array, or `createAgents()`.",
    );
  }
  list.forEach((entry, i) => {
    if (!isAgentType(entry) && !isAgent(entry)) {
      throw invalid(path, `entry ${i} is neither an agent type (with spawn) nor an agent (with execute).`);
    }
  });
  return list as Array<AgentType | Agent>;
}
