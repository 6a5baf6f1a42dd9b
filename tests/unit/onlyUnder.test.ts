import type { Request, Response, Router } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { onlyUnder } from '../../server/http/onlyUnder';

describe('onlyUnder (routers entered only for their own paths)', () => {
  const run = (path: string) => {
    const router = vi.fn();
    const next = vi.fn();
    onlyUnder(['/health', '/api/public'], Object.assign(router, { stack: [] }) as unknown as Router)({ path } as Request, {} as Response, next);
    return { entered: router.mock.calls.length === 1, passed: next.mock.calls.length === 1 };
  };

  it.each(['/health', '/health/', '/HEALTH', '/health/deep', '/api/public/availability', '/Api/Public'])('enters the router for %s', (path) => {
    expect(run(path)).toEqual({ entered: true, passed: false });
  });

  it.each(['/healthz', '/sites/skyen/registrations', '/api/publicity', '/', '/live'])('hands %s on at once, without entering the router', (path) => {
    expect(run(path)).toEqual({ entered: false, passed: true });
  });
});
