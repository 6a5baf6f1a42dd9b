import type { Redis } from 'ioredis';

/**
 * `ROOMWATCH_REDIS_WAIT_REPLICAS`: a write is acknowledged only once N replicas have it (Redis
 * `WAIT`), so a failover cannot lose it. WAIT covers every write this connection sent before it,
 * so concurrent requests share one: a request joins the next WAIT that has not been sent yet
 * (its own writes are already done), and at most one is in flight at a time.
 */
export class ReplicaAcks {
  private next: { promise: Promise<boolean>; resolve: (ok: boolean) => void } | null = null;
  private inFlight = false;

  constructor(
    private readonly redis: Redis,
    readonly replicas: number,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves true once `replicas` replicas have every write made so far, false on time-out or error. */
  confirm(): Promise<boolean> {
    const batch = this.next ?? this.newBatch();
    if (!this.inFlight) void this.flush();
    return batch.promise;
  }

  private newBatch() {
    let resolve!: (ok: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    this.next = { promise, resolve };
    return this.next;
  }

  private async flush(): Promise<void> {
    const batch = this.next;
    if (!batch) return;
    this.next = null;
    this.inFlight = true;
    try {
      batch.resolve((await this.redis.wait(this.replicas, this.timeoutMs)) >= this.replicas);
    } catch {
      batch.resolve(false);
    } finally {
      this.inFlight = false;
      if (this.next) void this.flush();
    }
  }
}
