/**
 * `@echelon/background` — background execution of agents and orchestrations: spawn, watch,
 * pause, resume, terminate, with a max-parallel limit.
 *
 * @packageDocumentation
 */
export { BackgroundErrorCode } from "./errors.js";
export { BackgroundAgentExecutor } from "./executor.js";
export type { BackgroundListener } from "./typed-emitter.js";
export type {
  BackgroundEventMap,
  BackgroundEventName,
  BackgroundExecutorOptions,
  BackgroundKind,
  BackgroundOrchestrator,
  BackgroundState,
  BackgroundStatus,
  SpawnRequest,
  TerminateOptions,
} from "./types.js";
