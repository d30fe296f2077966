import type { Agent, AgentType } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { abortError, onAbort } from "../util/abort.js";
import type { Logger } from "../util/logger.js";
import type { LeaseRequest } from "./level-pool.js";
import { PooledAgent } from "./pooled-agent.js";
import type { TypeSlot } from "./type-slot.js";

/** What {@link spawnAgent} needs from the level pool it spawns for. */
export interface SpawnHost {
  readonly name: string;
  readonly index: number;
  readonly logger: Logger;
  /** True once the pool was shut down: an agent that arrives now is disposed. */
  readonly closed: boolean;
  /** Takes a spawned agent into the pool with one slot granted. */
  adopt(agent: PooledAgent): void;
  /** Frees the slot of a failed spawn (serving waiting requests when `serveWaiting`). */
  spawnFailed(slot: TypeSlot, serveWaiting: boolean): void;
  /** Gives back a slot of an agent whose requester gave up. */
  release(agent: PooledAgent): void;
}

/**
 * Spawns an agent of `type` for one requester; the caller has counted its slot. A type that
 * makes its agent synchronously gives the agent itself (granted, no promise). Otherwise the
 * requester's signal rejects the promise when it aborts first (a spawn that never settles
 * cannot hold a cancel or a shutdown), and an agent that arrives after that is given back.
 *
 * @param typeIndex - the type's position among the level's worker types; -1 for the coordinator type
 */
export function spawnAgent(
  host: SpawnHost,
  type: AgentType,
  slot: TypeSlot,
  typeIndex: number,
  request: LeaseRequest,
): PooledAgent | Promise<PooledAgent> {
  const id = slot.take();
  let made: Agent | PromiseLike<Agent>;
  try {
    made = type.spawn(id, { level: host.name, levelIndex: host.index, logger: host.logger });
  } catch (error) {
    host.spawnFailed(slot, true);
    return Promise.reject(spawnFailure(error, type, host.name));
  }
  if (!isThenable(made)) {
    const admitted = admit(host, made, type, slot, typeIndex, request);
    return admitted instanceof PooledAgent ? admitted : Promise.reject(admitted);
  }
  const spawning = made;
  const signal = request.signal;
  return new Promise<PooledAgent>((resolve, reject) => {
    let gaveUp = false;
    const off = onAbort(signal, () => {
      gaveUp = true;
      reject(abortError(signal));
    });
    Promise.resolve(spawning).then(
      (agent) => {
        off();
        const admitted = admit(host, agent, type, slot, typeIndex, request);
        if (!(admitted instanceof PooledAgent)) {
          if (!gaveUp) reject(admitted);
        } else if (gaveUp) host.release(admitted);
        else resolve(admitted);
      },
      (error: unknown) => {
        off();
        host.spawnFailed(slot, true);
        if (!gaveUp) reject(spawnFailure(error, type, host.name));
      },
    );
  });
}

/**
 * Takes a spawned agent into the pool, or refuses it (bad capacity, or the pool closed
 * meanwhile) and frees its slot.
 *
 * @returns the pooled agent, or why it was refused
 */
function admit(
  host: SpawnHost,
  agent: Agent,
  type: AgentType,
  slot: TypeSlot,
  typeIndex: number,
  request: LeaseRequest,
): PooledAgent | EchelonError {
  try {
    checkSpawned(agent, type);
  } catch (error) {
    host.spawnFailed(slot, true);
    return error as EchelonError;
  }
  if (host.closed) {
    // Spawned after shutdown: nobody will use it.
    host.spawnFailed(slot, false);
    disposeLater(agent, agent.id);
    return shutDown();
  }
  const pooled = new PooledAgent(agent, request.role, host.name, host.index, slot, typeIndex);
  host.adopt(pooled);
  return pooled;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Checks what an agent type's `spawn` gave back.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when its capacity is not a positive integer
 */
function checkSpawned(agent: Agent, type: AgentType): void {
  if (!Number.isInteger(agent.capacity) || agent.capacity < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `Agent "${agent.id}" of type "${type.name}" has capacity ${String(agent.capacity)}; it must be a positive integer.`,
    );
  }
}

/** The error a requester gets when spawning an agent of `type` at `level` failed with `error`. */
function spawnFailure(error: unknown, type: AgentType, level: string): EchelonError {
  if (error instanceof EchelonError) return error;
  return new EchelonError(
    CoreErrorCode.TASK_FAILED,
    `Agent type "${type.name}" failed to spawn an agent at level ${level}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, details: { agentType: type.name, level } },
  );
}

/** Disposes an agent in the background; a failing `dispose` is logged when a logger is given. */
export function disposeLater(agent: Agent, agentId: string, logger?: Logger): void {
  Promise.resolve()
    .then(() => agent.dispose?.())
    .catch((error: unknown) => logger?.warn("agent dispose failed", { agentId, message: String(error) }));
}

/** The error of a pool that was shut down. */
export function shutDown(): EchelonError {
  return new EchelonError(CoreErrorCode.ORCHESTRATOR_SHUT_DOWN, "The orchestrator was shut down.");
}
