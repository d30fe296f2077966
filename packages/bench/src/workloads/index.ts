import type { Workload } from "../child/trial.js";
import { agentsWorkload } from "./agents.js";
import { fanoutWorkload } from "./fanout.js";
import { journalWorkload } from "./journal.js";
import { planningWorkload } from "./planning.js";
import { quorumWorkload } from "./quorum.js";
import { remoteWorkload } from "./remote.js";
import { resumeWorkload } from "./resume.js";
import { sagaWorkload } from "./saga.js";
import { soakWorkload } from "./soak.js";
import { coldWorkload, importWorkload } from "./startup.js";
import { timersWorkload } from "./timers.js";
import { treeWorkload } from "./tree.js";
import { wordcountWorkload } from "./wordcount.js";

/** Every workload the child runner knows, by name. */
export const WORKLOADS: Readonly<Record<string, Workload>> = Object.fromEntries(
  [
    fanoutWorkload,
    timersWorkload,
    wordcountWorkload,
    treeWorkload,
    agentsWorkload,
    planningWorkload,
    sagaWorkload,
    quorumWorkload,
    remoteWorkload,
    journalWorkload,
    resumeWorkload,
    importWorkload,
    coldWorkload,
    soakWorkload,
  ].map((w) => [w.name, w]),
);
