import { NodePath } from "@echelon/core";

const COMPENSATE = ":compensate";

/** The index of the path's last `/` when its last id is plain (no invocation, no compensation), else -2. */
function plainTail(path: string): number {
  const slash = path.lastIndexOf("/");
  return path.indexOf("#", slash + 1) < 0 && !path.endsWith(COMPENSATE) ? slash : -2;
}

/** `NodePath.id`, with a fast path for the common `…/id` (no invocation, no compensation). */
export function taskIdOf(path: string): string {
  const slash = plainTail(path);
  if (slash === -2) return NodePath.id(path);
  return slash < 0 ? path : path.slice(slash + 1);
}

/** True when `taskId` is `NodePath.id(path)` (the key source `t`), without building it in the common case. */
export function isTaskIdOf(taskId: string, path: string): boolean {
  if (taskId === "") return false;
  const slash = plainTail(path);
  if (slash === -2) return NodePath.id(path) === taskId;
  return path.length - slash - 1 === taskId.length && path.endsWith(taskId);
}
