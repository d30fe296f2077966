import { type AgentType, functionAgent } from "echelon";
import { ANALYSERS } from "./analysers.js";
import { analysePackage } from "./analyse-package.js";
import type { AuditDataset, PackageFacts, ReviewTally } from "./facts.js";
import { groupPackages } from "./group.js";
import { promote, type RenderedReport, validateTemp, writeTemp } from "./publish.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";

/**
 * What the agents of one audit share: large artefacts stay here and only small summaries
 * travel through the orchestration's results and events (the journal stays small).
 */
export interface AuditWorkspace {
  readonly outDir: string;
  readonly maxReportBytes: number;
  readonly generatedAt: string;
  dataset?: AuditDataset;
  tally?: ReviewTally;
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

/**
 * The audit's agent types: package analysers (tertiary, several instances), the grouper
 * (secondary), four independent reviewers, a renderer and a publisher (tertiary).
 *
 * @param ws - the audit's shared workspace
 * @param packageAgents - how many package analysers may run at once
 * @returns agent types for the orchestrator
 */
export function auditAgents(ws: AuditWorkspace, packageAgents: number): AgentType[] {
  const reviewers = Object.entries(ANALYSERS).map(([capability, analyse]) =>
    functionAgent(
      { name: capability.replace("review:", "reviewer:"), level: "tertiary", capabilities: [capability] },
      () => analyse(need(ws.dataset, "The grouped dataset")),
    ),
  );
  return [
    functionAgent(
      {
        name: "package-analyser",
        level: "tertiary",
        capabilities: ["audit:package"],
        maxInstances: packageAgents,
      },
      (work, ctx) => analysePackage((work.input as { dir: string }).dir, ctx.signal),
    ),
    functionAgent({ name: "grouper", level: "secondary", capabilities: ["audit:group"] }, (work) => {
      ws.dataset = groupPackages(work.input as PackageFacts[]);
      const d = ws.dataset;
      return {
        packages: d.packages.length,
        licences: Object.keys(d.byLicence).length,
        scopes: Object.keys(d.byScope).length,
        totalBytes: d.totalBytes,
      };
    }),
    ...reviewers,
    functionAgent(
      { name: "renderer", level: "tertiary", capabilities: ["render:markdown", "render:html"] },
      (work) => {
        if (work.capabilities.includes("render:markdown")) {
          ws.tally = (work.input as { value: ReviewTally }).value;
          ws.markdown = renderMarkdown(
            need(ws.dataset, "The grouped dataset"),
            ws.tally,
            ws.generatedAt,
            ws.unreadable,
          );
          return { markdownBytes: bytes(ws.markdown) };
        }
        ws.html = renderHtml(
          need(ws.dataset, "The grouped dataset"),
          need(ws.tally, "The tally"),
          ws.generatedAt,
        );
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
              { generatedAt: ws.generatedAt, ...need(ws.dataset, "The dataset"), review: ws.tally },
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
