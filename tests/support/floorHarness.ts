import type { Redis } from 'ioredis';
import { FloorRepository } from '../../server/floor/floor.repository';
import { FloorService, type CommandRequest } from '../../server/floor/floor.service';
import { SiteRegistry } from '../../server/sites/sites.registry';
import type { SiteChanged } from '../../shared/events';
import { testSites } from './testServer';

/** A FloorService on a given connection with a controllable clock and a recording realtime. */
export function floorHarness(redis: Redis, settings = { eventRetention: 100_000, idempotencyTtlMs: 86_400_000 }, opts: { publishLive?: boolean } = {}) {
  const pushed: SiteChanged[] = [];
  const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
  const repo = new FloorRepository(redis);
  const floor = new FloorService({
    repo,
    sites: new SiteRegistry(testSites()),
    realtime: { siteChanged: (c) => void pushed.push(c) },
    clock: () => clock.now,
    settings,
    ...(opts.publishLive ? { publishLive: true } : {}),
  });
  const req = (idempotencyKey?: string, siteId = 'alpha'): CommandRequest => ({
    principal: { kind: 'user', id: 'tester', role: 'staff', sites: '*' },
    siteId,
    idempotencyKey,
  });
  return { floor, repo, pushed, clock, req };
}

/** Runs `fn` and returns the thrown AppError's status and details (or fails). */
export async function rejection(fn: () => Promise<unknown>): Promise<{ status: number; code: string; details: any }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { status: number; code: string; details: unknown };
    return { status: e.status, code: e.code, details: e.details };
  }
  throw new Error('expected a rejection');
}
