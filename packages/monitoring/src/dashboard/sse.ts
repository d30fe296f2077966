import type { ServerResponse } from "node:http";

/** @internal The open Server-Sent-Events streams of the dashboard. */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  /** @param heartbeatMs - interval of keep-alive comments */
  constructor(heartbeatMs = 15_000) {
    this.heartbeat = setInterval(() => this.comment("keep-alive"), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Opens a stream on `res` and sends it `first` as its first message. */
  open(res: ServerResponse, first: { event: string; data: unknown }): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n\n");
    res.write(frame(first.event, first.data));
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  /** Sends one message to every client. */
  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = frame(event, data);
    for (const res of this.clients) res.write(text);
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private comment(text: string): void {
    for (const res of this.clients) res.write(`: ${text}\n\n`);
  }
}

/** One SSE message. JSON.stringify escapes CR and LF, so the data is always one line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
