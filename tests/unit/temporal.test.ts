import { afterEach, describe, expect, it, vi } from 'vitest';
import { Temporal as Polyfill } from 'temporal-polyfill';

// shared/temporal.ts decides once, when first imported: reload it for each case.
describe('shared/temporal: one Temporal for shared code', () => {
  const g = globalThis as { Temporal?: unknown };
  afterEach(() => {
    delete g.Temporal;
    vi.resetModules();
  });

  it('takes temporal-polyfill where the platform has no Temporal (Node 20, Safari)', async () => {
    delete g.Temporal;
    vi.resetModules();
    const { Temporal } = await import('../../shared/temporal');
    expect(Temporal).toBe(Polyfill);
  });

  it("takes the platform's own Temporal where there is one, without loading the polyfill", async () => {
    const native = { PlainDate: {}, Instant: {} };
    g.Temporal = native;
    vi.resetModules();
    vi.doMock('temporal-polyfill', () => {
      throw new Error('temporal-polyfill was loaded');
    });
    const { Temporal } = await import('../../shared/temporal');
    expect(Temporal).toBe(native);
    vi.doUnmock('temporal-polyfill');
  });
});
