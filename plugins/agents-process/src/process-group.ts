import type { ChildProcess } from "node:child_process";

/**
 * Whether children get a process group of their own. On POSIX each child is started
 * `detached` (a new session and process group, the child its leader), so a stop reaches
 * every process it started, not only itself. Windows has no process groups to signal:
 * there only the child itself is stopped.
 */
export const OWN_PROCESS_GROUP = process.platform !== "win32";

/**
 * Sends `signal` to the child's whole process group (POSIX) or to the child alone (Windows).
 *
 * @returns false when nothing was left to signal
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  if (OWN_PROCESS_GROUP) {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
      // EPERM: a member changed its user (a setuid program); still stop the child itself.
    }
  }
  if (child.exitCode !== null || child.signalCode !== null) return false;
  return signal === 0 ? true : child.kill(signal);
}

/**
 * SIGTERM to the child's process group now, SIGKILL after `graceMs` to whatever of the
 * group is still alive then — also when the child itself has already exited and left
 * children of its own behind.
 */
export function terminate(child: ChildProcess, graceMs: number): void {
  if (!signalGroup(child, "SIGTERM")) return;
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  const onExit = () => {
    if (!signalGroup(child, 0)) clearTimeout(timer);
  };
  if (child.exitCode !== null || child.signalCode !== null) onExit();
  else child.once("exit", onExit);
}
