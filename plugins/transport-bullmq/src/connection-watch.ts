import type { Logger } from "@echelon/core";

/**
 * Logs connection trouble once per outage instead of once per reconnect attempt: the first
 * error of an outage as a warning, the reconnect that ends it as info.
 */
export class ConnectionWatch {
  private down = false;
  private connectedOnce = false;

  /**
   * @param logger - where to log (read at each call: the logger may be set later)
   * @param what - the connection, in words (`queue "echelon" at 127.0.0.1:6379`)
   */
  constructor(
    private readonly logger: () => Logger,
    private readonly what: string,
  ) {}

  /** A connection error (ioredis retries on its own). */
  failed(error: Error): void {
    if (this.down) return;
    this.down = true;
    this.logger().warn(`Redis connection for ${this.what} failed; reconnecting`, { message: error.message });
  }

  /** The connection is ready (again). */
  ready(): void {
    if (this.down && this.connectedOnce) this.logger().info(`Redis connection for ${this.what} is back`);
    this.down = false;
    this.connectedOnce = true;
  }
}
