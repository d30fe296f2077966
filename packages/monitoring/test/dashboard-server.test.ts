import { request } from "node:http";
import { functionAgent, isEchelonError } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Dashboard, startDashboard } from "../src/index.js";
import { CLIENT_SCRIPT } from "../src/dashboard/client-script.js";
import { forkSpec, hasher, makeOrchestrator, openEndedHasher, until } from "./support.js";

const TOKEN = "s3cret-token-0123456789";
const running: Dashboard[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.close();
});
async function start(options: Parameters<typeof startDashboard>[0]): Promise<Dashboard> {
  const d = await startDashboard(options);
  running.push(d);
  return d;
}

/** A raw HTTP request (lets a test set any Host header). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
        if (res.headers["content-type"]?.includes("event-stream")) res.destroy();
      });
      res.on("close", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Reads an SSE stream, calling `onMessage` per message until it returns true. */
function readSse(url: string, onMessage: (event: string, data: unknown) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let messages = 0;
    const req = request(url, (res) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf("\n\n");
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === undefined || data === undefined) continue;
          messages++;
          if (onMessage(event, JSON.parse(data))) {
            res.destroy();
            resolve(messages);
            return;
          }
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard security", () => {
  it("refuses a non-loopback bind without a token, and short tokens", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const codeOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return isEchelonError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(await codeOf(startDashboard({ orchestrator, host: "0.0.0.0" }))).toBe(
      "ECHELON_DASHBOARD_TOKEN_REQUIRED",
    );
    expect(await codeOf(startDashboard({ orchestrator, token: "short" }))).toBe(
      "ECHELON_MONITORING_INVALID_OPTIONS",
    );
    expect(await codeOf(startDashboard({ orchestrator, port: 70_000 }))).toBe(
      "ECHELON_MONITORING_INVALID_OPTIONS",
    );
  });

  it("checks the token on every route, the event stream and cancel included", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const d = await start({ orchestrator, token: TOKEN });
    for (const [method, path] of [
      ["GET", ""],
      ["GET", "api/state"],
      ["GET", "api/events"],
      ["GET", "api/orchestrations/x"],
      ["POST", "api/orchestrations/x/cancel"],
    ] as const) {
      const headers = { "x-echelon-dashboard": "1" };
      expect((await raw(`${d.url}${path}`, { method, headers })).status).toBe(401);
      expect((await raw(`${d.url}${path}?token=wrong-${TOKEN}`, { method, headers })).status).toBe(401);
      expect(
        (
          await raw(`${d.url}${path}`, {
            method,
            headers: { ...headers, authorization: `Bearer ${TOKEN.slice(0, -1)}` },
          })
        ).status,
      ).toBe(401);
    }
    const page = await raw(d.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'nonce-[^']+'/);
    const first = await raw(`${d.url}?token=${TOKEN}`);
    const cookie = String(first.headers["set-cookie"]).split(";")[0] ?? "";
    expect(first.headers["set-cookie"]?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await raw(d.url, { headers: { cookie } })).status).toBe(200);
    expect((await raw(`${d.url}api/state`, { headers: { cookie: `${cookie}x` } })).status).toBe(401);
    const stream = await raw(`${d.url}api/events?token=${TOKEN}`);
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toContain("text/event-stream");
    const unknown = await raw(`${d.url}api/orchestrations/nope/cancel?token=${TOKEN}`, {
      method: "POST",
      headers: { "x-echelon-dashboard": "1" },
    });
    expect(unknown.status).toBe(404);
    expect((await raw(`${d.url}api/orchestrations/%E0%A4%A?token=${TOKEN}`)).status).toBe(400);
    const noHeader = await raw(`${d.url}api/orchestrations/nope/cancel?token=${TOKEN}`, { method: "POST" });
    expect(noHeader.status).toBe(403);
  });

  it("without a token, only loopback Host headers are served (DNS rebinding)", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const d = await start({ orchestrator });
    expect((await raw(d.url)).status).toBe(200);
    expect((await raw(d.url, { headers: { host: "evil.example" } })).status).toBe(403);
    expect((await raw(d.url, { headers: { host: `localhost:${d.port}` } })).status).toBe(200);
  });

  it("never interprets task text as HTML: the page holds no data and writes text only", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const d = await start({ orchestrator });
    const evil = `<img src=x onerror="alert(1)"></script><script>alert(2)</script>`;
    await orchestrator.orchestrateComplexTask(forkSpec(2, evil), { orchestrationId: "xss" });
    const page = await raw(d.url);
    expect(page.body).not.toContain("alert(");
    expect(CLIENT_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    const tree = await raw(`${d.url}api/orchestrations/xss`);
    const parsed = JSON.parse(tree.body) as { rows: unknown[][] };
    expect(parsed.rows[0]?.[2]).toBe(evil);
    expect(tree.headers["content-type"]).toContain("application/json");
  });
});

describe("dashboard live stream", () => {
  it("starts with a snapshot, then pushes batched node updates until the orchestration is done", async () => {
    const work = openEndedHasher();
    const orchestrator = makeOrchestrator([functionAgent({ name: "worker", capacity: 4 }, work.run)]);
    const d = await start({ orchestrator, flushMs: 50 });
    let events = 0;
    orchestrator.events.onAny(() => {
      events++;
    });
    let snapshot: { orchestrations: unknown[] } | null = null;
    const completedLeaves = new Set<string>();
    let sawRunning = false;
    let done = false;
    const reading = readSse(`${d.url}api/events`, (event, data) => {
      if (event === "snapshot") {
        snapshot = data as { orchestrations: unknown[] };
        return false;
      }
      const batch = data as {
        nodes: [string, string, string][];
        orchestrations: { id: string; state: string }[];
      };
      for (const [, path, state] of batch.nodes) {
        if (state === "running") {
          sawRunning = true;
          work.release();
        }
        if (state === "completed" && path.startsWith("root/")) completedLeaves.add(path);
      }
      if (batch.orchestrations.some((o) => o.id === "live" && o.state === "completed")) done = true;
      return done && completedLeaves.size === 20;
    });
    await until(() => snapshot !== null, "snapshot received");
    expect(snapshot!.orchestrations).toEqual([]);
    const result = await orchestrator.orchestrateComplexTask(forkSpec(20), { orchestrationId: "live" });
    expect(result.success).toBe(true);
    const messages = await reading;
    expect(sawRunning).toBe(true);
    expect(completedLeaves.size).toBe(20);
    // Batched: far fewer messages than events.
    expect(messages).toBeLessThan(events);
  });

  it("cancels a running orchestration through the API", async () => {
    const work = openEndedHasher();
    const slow = functionAgent({ name: "slow", capacity: 2 }, work.run);
    const orchestrator = makeOrchestrator([slow]);
    const d = await start({ orchestrator });
    const pending = orchestrator.orchestrateComplexTask(forkSpec(2), { orchestrationId: "long" });
    await until(() => d.monitor.getNodeStatus("long", "root/leaf1")?.state === "running", "leaf running");
    const res = await raw(`${d.url}api/orchestrations/long/cancel`, {
      method: "POST",
      headers: { "x-echelon-dashboard": "1" },
    });
    expect(res.status).toBe(202);
    const result = await pending;
    expect(result.state).toBe("cancelled");
    work.release();
  });

  it("answers 409 with the final state when the orchestration already finished, and cancels nothing", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const d = await start({ orchestrator });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(2), { orchestrationId: "done" });
    expect(result.state).toBe("completed");
    const res = await raw(`${d.url}api/orchestrations/done/cancel`, {
      method: "POST",
      headers: { "x-echelon-dashboard": "1" },
    });
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(res.body)).toEqual({
      error: "orchestration done already finished (completed); there is nothing to cancel",
      code: "ECHELON_DASHBOARD_RUN_FINISHED",
      orchestrationId: "done",
      state: "completed",
      finished: true,
    });
    expect(orchestrator.getOrchestrationStatus("done").state).toBe("completed");
  });
});
