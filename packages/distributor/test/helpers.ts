import {
  type AgentLoad,
  type Complexity,
  type DistributionStrategy,
  EchelonContainer,
  EventBus,
  type Plan,
  type PlanNode,
  type PluginContext,
  DISTRIBUTION_STRATEGY,
  PATTERN,
  AGENT_TYPE,
  silentLogger,
  type TaskRequest,
} from "@echelon/core";

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

interface NodeInput {
  id: string;
  capabilities?: string[];
  children?: NodeInput[];
  compensate?: NodeInput;
}

/** Builds a plan by hand (ids, capabilities, children), deriving paths and depths. */
export function plan(root: NodeInput): Plan {
  let nodes = 0;
  let leaves = 0;
  let depth = 0;
  const build = (input: NodeInput, parentPath: string | null, d: number): PlanNode => {
    const path = parentPath === null ? input.id : `${parentPath}/${input.id}`;
    const children = (input.children ?? []).map((c) => build(c, path, d + 1));
    nodes++;
    if (children.length === 0) leaves++;
    depth = Math.max(depth, d);
    const complexity: Complexity = children.length === 0 ? "atomic" : "simple";
    return {
      id: input.id,
      path,
      description: input.id,
      input: null,
      depth: d,
      complexity,
      pattern: children.length === 0 ? null : "fork-join",
      patternOptions: {},
      capabilities: input.capabilities ?? [],
      priority: 0,
      dependsOn: [],
      children,
      compensate: input.compensate
        ? { ...build(input.compensate, path, d), path: `${path}#compensate` }
        : null,
      timeoutMs: null,
      retry: null,
      strategy: null,
      metadata: {},
    };
  };
  const rootNode = build(root, null, 0);
  return { taskId: root.id, root: rootNode, nodeCount: nodes, leafCount: leaves, depth, source: "test" };
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
    bind: (token, value, options) => container.bind(token, value, options),
    add: (token, value) => container.add(token, value),
  };
  return { context, strategies: () => container.getAll(DISTRIBUTION_STRATEGY) };
}
