/**
 * @internal Reads agent capacities from whatever `getAgentHierarchy()` returns
 * (`{ levels: [{ agents: [{ id, capacity }] }] }` for core's orchestrator), defensively.
 */
export function capacitiesFrom(hierarchy: unknown): Map<string, number> {
  const out = new Map<string, number>();
  const levels = field(hierarchy, "levels");
  if (!Array.isArray(levels)) return out;
  for (const level of levels) {
    const agents = field(level, "agents");
    if (!Array.isArray(agents)) continue;
    for (const agent of agents) {
      const id = field(agent, "id");
      const capacity = field(agent, "capacity");
      if (typeof id === "string" && typeof capacity === "number" && capacity > 0) out.set(id, capacity);
    }
  }
  return out;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
