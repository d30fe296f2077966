import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startLocalRedis } from "../src/index.js";

describe("startLocalRedis", () => {
  it("starts a redis-server without persistence on a free port and stops it", async () => {
    const redis = await startLocalRedis();
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe("PONG");
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
      expect(await client.config("GET", "save")).toEqual(["save", ""]);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(() => process.kill(redis.pid, 0)).toThrow();
  });

  it("says what to install when there is no redis-server", async () => {
    await expect(startLocalRedis({ executable: "/nonexistent/redis-server" })).rejects.toMatchObject({
      code: "ECHELON_TRANSPORT_REDIS_NOT_INSTALLED",
      message: expect.stringMatching(/apt-get install redis-server/),
    });
  });

  it("reports a port that is taken with the server's own words", async () => {
    const first = await startLocalRedis();
    try {
      await expect(startLocalRedis({ port: first.port })).rejects.toMatchObject({
        code: "ECHELON_TRANSPORT_REDIS_START_FAILED",
        message: expect.stringMatching(/Address already in use/),
      });
    } finally {
      await first.stop();
    }
  });
});
