/**
 * The agents module a worker host serves: `echelon worker --redis <url> --agents ./dist/agents.js`.
 * One agent type, `text-stats`, doing real work on the text each task carries.
 *
 * @module
 */
import { type AgentType, functionAgent } from "echelon";
import { hostname } from "node:os";
import { textStats } from "./text-stats.js";

/** The agent types of this worker host. */
export const agents: AgentType[] = [
  functionAgent({ name: "text-stats", capabilities: ["text:stats"], capacity: 4 }, (work, ctx) => {
    ctx.signal.throwIfAborted();
    const { file, text } = work.input as { file: string; text: string };
    return { ...textStats(file, text), host: `${hostname()}:${process.pid}` };
  }),
];
