import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";

/** A running local chat server. */
export interface ChatServer {
  readonly requests: SeenRequest[];
  readonly port: number;
  readonly model: Exclude<LanguageModel, string>;
  close(): Promise<void>;
}

/** One request the server saw. */
export interface SeenRequest {
  readonly body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    response_format?: unknown;
  };
  /** Epoch ms of arrival. */
  readonly at: number;
  /** True once the client closed the connection before the server answered (an abort). */
  aborted: boolean;
  /** Settles when the connection closes. */
  readonly closed: Promise<void>;
}

/** What the scripted handler answers: a reply, or `hang` to never answer. */
export type Reply =
  | {
      readonly status?: number;
      readonly headers?: Record<string, string>;
      readonly json?: unknown;
      readonly raw?: string;
    }
  | "hang";

/** A chat-completions answer with the given content and usage. */
export function completion(content: string, prompt = 7, completionTokens = 3): Reply {
  return {
    json: {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1,
      model: "local-model",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: prompt,
        completion_tokens: completionTokens,
        total_tokens: prompt + completionTokens,
      },
    },
  };
}

/**
 * A local HTTP server on 127.0.0.1 (random port) speaking the OpenAI chat-completions
 * protocol, answering from `handler`. Nothing leaves the machine.
 */
export async function startChatServer(
  handler: (request: SeenRequest, index: number) => Reply,
): Promise<ChatServer> {
  const requests: SeenRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => {
      if (req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      let onClose!: () => void;
      const seen: SeenRequest = {
        body: JSON.parse(data),
        at: Date.now(),
        aborted: false,
        closed: new Promise((r) => (onClose = r)),
      };
      requests.push(seen);
      res.on("close", () => {
        if (!res.writableEnded) seen.aborted = true;
        hanging.delete(res);
        onClose();
      });
      const reply = handler(seen, requests.length - 1);
      if (reply === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...(reply.headers ?? {}) });
      res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const provider = createOpenAICompatible({
    name: "local",
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey: "test-key",
  });
  return {
    requests,
    port,
    model: provider.chatModel("local-model"),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
