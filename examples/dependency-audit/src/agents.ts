import { workerAgent } from "@echelon/agents-worker";
import { type AgentType, functionAgent } from "echelon";
import { ANALYSERS } from "./analysers.js";
import { analysePackage } from "./analyse-package.js";
import { type DiscoverySink, discoverAgent } from "./discover.js";
import type { AuditDataset, PackageFacts, ReviewTally } from "./facts.js";
import { groupPackages } from "./group.js";
import { applyPolicy, type LicencePolicy, type PolicyReport } from "./licence-policy.js";
import { promote, type RenderedReport, validateTemp, writeTemp } from "./publish.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";
import type { ReportContent } from "./report-content.js";

/**
 * What the agents of one audit share: large artefacts stay here and only small summaries
 * travel through the orchestration's results and events (the journal stays small).
 */
export interface AuditWorkspace extends DiscoverySink {
  readonly outDir: string;
  readonly maxReportBytes: number;
  readonly generatedAt: string;
  /** Worker threads of the package analysers; 0 = in-process, one package at a time. */
  readonly workers: number;
  /** Worker-host processes of the package analysers (over Redis); 0 = none. */
  readonly workerHosts: number;
  /** The licence policy to apply, or `null`. */
  readonly licencePolicy: LicencePolicy | null;
  dataset?: AuditDataset;
  tally?: ReviewTally;
  policy?: PolicyReport;
  markdown?: string;
  html?: string;
  temp?: { tempDir: string; digests: Record<string, string> };
  /** Packages whose analysis failed, with the reason (listed in the report). */
  readonly unreadable: Array<{ dir: string; error: string }>;
  reportDir?: string;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`${what} is not available yet: the stage that produces it has not run.`);
  return value;
}

const bytes = (text: string) => Buffer.byteLength(text);

/** The built module the analysers' worker threads load (from `src/` under vitest too). */
const ANALYSE_WORKER = new URL("../dist/analyse-worker.js", import.meta.url);

/**
 * The package analysers: in-process, one at a time on the one JavaScript thread (`workers` 0),
 * or `workers` agents of one worker thread each. Either way, the leaf slots the orchestrator
 * counts are the threads that really do the work.
 */
function packageAnalyser(workers: number): AgentType {
  const options = { name: "package-analyser", level: "tertiary", capabilities: ["audit:package"] };
  if (workers > 0) return workerAgent({ ...options, module: ANALYSE_WORKER, maxInstances: workers });
  return functionAgent({ ...options, maxInstances: 1 }, (work, ctx) =>
    analysePackage((work.input as { dir: string }).dir, ctx.signal),
  );
}

/**
 * The four reviewers. The licence reviewer also applies the licence policy, when there is one:
 * it is the agent that reads licences.
 */
function reviewers(ws: AuditWorkspace): AgentType[] {
  return Object.entries(ANALYSERS).map(([capability, analyse]) =>
    functionAgent(
      { name: capability.replace("review:", "reviewer:"), level: "tertiary", capabilities: [capability] },
      () => {
        const data = need(ws.dataset, "The grouped dataset");
        if (capability === "review:licence" && ws.licencePolicy !== null) {
          ws.policy = applyPolicy(data.packages, ws.licencePolicy);
        }
        return analyse(data);
      },
    ),
  );
}

/**
 * The group stage: groups the analysed packages into the workspace's dataset and returns a
 * summary. The pipeline runs it in-process (its `group` processor).
 *
 * @param ws - the audit's shared workspace
 * @returns the stage function
 */
export function groupStage(ws: AuditWorkspace): (input: unknown) => Record<string, number> {
  return (input) => {
    ws.dataset = groupPackages(input as PackageFacts[]);
    const d = ws.dataset;
    return {
      packages: d.packages.length,
      licences: Object.keys(d.byLicence).length,
      scopes: Object.keys(d.byScope).length,
    };
  };
}

function reportContent(ws: AuditWorkspace): ReportContent {
  return {
    data: need(ws.dataset, "The grouped dataset"),
    tally: need(ws.tally, "The tally"),
    generatedAt: ws.generatedAt,
    unreadable: ws.unreadable,
    policy: ws.policy ?? null,
    workers: ws.workers,
    workerHosts: ws.workerHosts,
  };
}

/**
 * The audit's agent types: the discoverer, the package analysers, four independent reviewers, a
 * renderer and a publisher (tertiary), and the grouper (secondary, standing by for the
 * in-process group stage).
 *
 * @param ws - the audit's shared workspace
 * @param remoteAnalyser - the package analyser on worker hosts (`--worker-hosts`), instead of a local one
 * @returns agent types for the orchestrator
 */
export function auditAgents(ws: AuditWorkspace, remoteAnalyser?: AgentType): AgentType[] {
  return [
    discoverAgent(ws),
    remoteAnalyser ?? packageAnalyser(ws.workers),
    // The orchestrator's preflight wants an agent able to run every leaf, even one a pipeline
    // processor runs in-process; this is that agent for the group stage. It is never
    // dispatched, so it adds no leaf slot to the overhead's lower bound.
    functionAgent(
      { name: "grouper", level: "secondary", capabilities: ["audit:group"], maxInstances: 1 },
      (work) => groupStage(ws)(work.input),
    ),
    ...reviewers(ws),
    functionAgent(
      { name: "renderer", level: "tertiary", capabilities: ["render:markdown", "render:html"] },
      (work) => {
        if (work.capabilities.includes("render:markdown")) {
          ws.tally = (work.input as { value: ReviewTally }).value;
          ws.markdown = renderMarkdown(reportContent(ws));
          return { markdownBytes: bytes(ws.markdown) };
        }
        ws.html = renderHtml(reportContent(ws));
        return { ...(work.input as object), htmlBytes: bytes(ws.html) };
      },
    ),
    functionAgent(
      {
        name: "publisher",
        level: "tertiary",
        capabilities: ["publish:write", "publish:validate", "publish:promote"],
      },
      async (work, ctx) => {
        if (work.capabilities.includes("publish:write")) {
          const report: RenderedReport = {
            markdown: need(ws.markdown, "The Markdown report"),
            html: need(ws.html, "The HTML report"),
            data: JSON.stringify(
              {
                generatedAt: ws.generatedAt,
                ...need(ws.dataset, "The dataset"),
                review: ws.tally,
                policy: ws.policy ?? null,
              },
              null,
              1,
            ),
          };
          ws.temp = await writeTemp(ws.outDir, report);
          return ws.temp;
        }
        const temp = need(ws.temp, "The temporary folder");
        if (work.capabilities.includes("publish:validate")) {
          const count = need(ws.dataset, "The dataset").packages.length;
          return validateTemp(temp.tempDir, temp.digests, count, ws.maxReportBytes);
        }
        const { reportDir } = await promote(ws.outDir, temp.tempDir, ctx.orchestrationId.slice(0, 8));
        ws.reportDir = reportDir;
        return { reportDir };
      },
    ),
  ];
}
