import { EventBus, silentLogger } from "@echelon/core";
import {
  type AgentLoad,
  type DistributionStrategy,
  EchelonContainer,
  type PluginContext,
  DISTRIBUTION_STRATEGY,
  PATTERN,
  AGENT_TYPE,
  EXPANDER,
  type TaskRequest,
} from "@echelon/core/plugin";

/** A candidate load with defaults. */
export function load(agentId: string, fields: Partial<AgentLoad> = {}): AgentLoad {
  return {
    agentId,
    agentType: "agent",
    level: "primary",
    capabilities: [],
    inFlight: 0,
    capacity: 1,
    completed: 0,
    busyMs: 0,
    ...fields,
  };
}

/** A task request with defaults. */
export function request(fields: Partial<TaskRequest> = {}): TaskRequest {
  return {
    orchestrationId: "o",
    taskId: "t",
    nodePath: "t",
    level: "primary",
    capabilities: [],
    priority: 0,
    enqueuedAt: 0,
    metadata: {},
    ...fields,
  };
}

/** A real plugin context over a fresh container, as core's plugin host builds it. */
export function pluginContext(): { context: PluginContext; strategies: () => DistributionStrategy[] } {
  const container = new EchelonContainer();
  const context: PluginContext = {
    container,
    events: new EventBus(),
    logger: silentLogger,
    registerPattern: (p) => container.add(PATTERN, p),
    registerStrategy: (s) => container.add(DISTRIBUTION_STRATEGY, s),
    registerAgentType: (t) => container.add(AGENT_TYPE, t),
    registerExpander: (x) => container.add(EXPANDER, x),
    bind: (token, value, options) => container.bind(token, value, options),
    add: (token, value) => container.add(token, value),
  };
  return { context, strategies: () => container.getAll(DISTRIBUTION_STRATEGY) };
}
