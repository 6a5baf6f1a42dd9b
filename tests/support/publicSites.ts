import { expect } from 'vitest';
import { SitesFile } from '../../shared/siteConfig';
import type { TestServer } from './testServer';

/** Sites for the public page's tests and screenshots: two that opted in, one that did not. */
export const PUBLIC_SITES = SitesFile.parse({
  sites: [
    {
      id: 'skyen',
      name: 'Skyen – stofindtagelsesrummet ved Halmtorvet',
      public: true,
      rooms: [
        { id: 'inj', name: 'Injektion', kind: 'injection', booths: 9 },
        { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 8, openingHours: [{ open: '07:00', close: '23:00' }] },
      ],
    },
    {
      id: 'h17',
      name: 'H17',
      public: true,
      rooms: [
        { id: 'inj', name: 'Injektion', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
        { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
      ],
    },
    {
      id: 'natcafe',
      name: 'Natcaféen på Mariendalsvej (ikke offentlig)',
      rooms: [{ id: 'inj', name: 'Injektion', kind: 'injection', booths: 4 }],
    },
  ],
});

/** Monday 30 November 2026 (payday), 23:45 in Copenhagen: H17 and Skyen's smoking room are closed. */
export const PUBLIC_NOW = Date.parse('2026-11-30T22:45:00Z');
const CHECK_IN = { substance: 'cocaine', route: 'injection' };

/** A busy Skyen: 8 of 9 injection places in use, 15 waiting, four on shift. */
export async function fillSkyen(srv: TestServer): Promise<void> {
  // Four on shift: free responders left, so a free place takes the next person (nobody on shift
  // would pause intakes, and the public wait would never read "no wait").
  expect((await srv.send('PUT', '/api/sites/skyen/staffing', { onShift: 4 })).status).toBe(200);
  for (let i = 1; i <= 8; i++) expect((await srv.send('POST', `/api/sites/skyen/booths/inj-${i}/check-in`, CHECK_IN)).status).toBe(200);
  expect((await srv.send('POST', '/api/sites/skyen/queue', { op: 'set', count: 15 })).status).toBe(200);
}

