import { describe, expect, it } from 'vitest';
import { CheckInBody, IdempotencyKey, IncidentBody, OutOfServiceBody, QueueBody, StaffingBody } from '../../shared/api';
import { countersFromFields, emptyCounters } from '../../shared/counters';
import { SiteChanged } from '../../shared/events';
import { boothIdsOf, SitesFile } from '../../shared/siteConfig';

describe('command schemas', () => {
  it('accepts a check-in and defaults assisted to false', () => {
    expect(CheckInBody.parse({ substance: 'heroin', route: 'injection' })).toEqual({ substance: 'heroin', route: 'injection', assisted: false });
  });
  it.each([
    [{}, ['substance', 'route']],
    [{ substance: 'crack', route: 'injection' }, ['substance']],
    [{ substance: 'cocaine', route: 'injection', assisted: 'yes' }, ['assisted']],
    [{ substance: 'cocaine', route: 'injection', name: 'Jens' }, ['']],
  ])('refuses check-in %j naming %j', (body, paths) => {
    const r = CheckInBody.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(paths);
  });
  it('refuses free text as an out-of-service reason', () => {
    expect(OutOfServiceBody.safeParse({ reason: 'Jens bled on it' }).success).toBe(false);
    expect(OutOfServiceBody.parse({})).toEqual({ reason: 'other' });
  });
  it('knows the queue operations', () => {
    expect(QueueBody.parse({ op: 'set', count: 3 })).toEqual({ op: 'set', count: 3 });
    expect(QueueBody.safeParse({ op: 'set' }).success).toBe(false);
    expect(QueueBody.safeParse({ op: 'set', count: -1 }).success).toBe(false);
    expect(QueueBody.safeParse({ op: 'jump' }).success).toBe(false);
  });
  it('bounds staffing and incidents', () => {
    expect(StaffingBody.safeParse({ onShift: 2.5 }).success).toBe(false);
    expect(StaffingBody.safeParse({ onShift: '3' }).success).toBe(false);
    expect(IncidentBody.parse({ kind: 'overdose' })).toEqual({ kind: 'overdose', naloxone: false, ambulance: false });
  });
  it('checks idempotency keys', () => {
    expect(IdempotencyKey.safeParse('3f1c0b7e-9a8d-4b5c-8e2f-1a2b3c4d5e6f').success).toBe(true);
    expect(IdempotencyKey.safeParse('short').success).toBe(false);
    expect(IdempotencyKey.safeParse('has space in it').success).toBe(false);
  });
});

describe('sites file', () => {
  const site = { id: 'x', name: 'X', rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 2 }] };
  it('fills defaults', () => {
    const f = SitesFile.parse({ sites: [site] });
    expect(f.sites[0]).toMatchObject({ timeZone: 'Europe/Copenhagen', businessDayStart: 6, maxSessionMinutes: { injection: 30, inhalation: 20 } });
    expect(boothIdsOf(f.sites[0]!.rooms[0]!)).toEqual(['inj-1', 'inj-2']);
  });
  it('refuses duplicates, bad zones and bad hours with paths', () => {
    const r = SitesFile.safeParse({
      sites: [
        { ...site, timeZone: 'Mars/Olympus' },
        { ...site, rooms: [{ id: 'a', name: 'A', kind: 'injection', booths: ['b1', 'b1'], openingHours: [{ open: '25:00', close: '10:00' }] }] },
      ],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('sites.0.timeZone');
    expect(paths).toContain('sites.1.rooms.0.openingHours.0.open');
  });
  it('takes shift changes as HH:MM, each once (midnight written either way)', () => {
    expect(SitesFile.parse({ sites: [{ ...site, shiftChanges: ['07:00', '15:00', '23:00'] }] }).sites[0]!.shiftChanges).toEqual(['07:00', '15:00', '23:00']);
    const paths = (shiftChanges: string[]) => SitesFile.safeParse({ sites: [{ ...site, shiftChanges }] }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths(['07:00', '7:30'])).toEqual(['sites.0.shiftChanges.1: HH:MM']);
    expect(paths(['07:00', '15:00', '07:00'])).toEqual(['sites.0.shiftChanges: each time only once']);
    expect(paths(['00:00', '24:00'])).toEqual(['sites.0.shiftChanges: each time only once']);
  });
});

describe('counters', () => {
  it('reads the stored fields', () => {
    const c = countersFromFields({ intakes: '3', 'sub:cocaine': '2', 'route:inhalation': '1', checkouts: '2', sessionMs: '1800000', 'inc:overdose': '1' });
    expect(c.intakes).toBe(3);
    expect(c.bySubstance.cocaine).toBe(2);
    expect(c.byRoute.inhalation).toBe(1);
    expect(c.incidents.overdose).toBe(1);
    expect(c.checkouts).toBe(2);
    expect(c.sessionMinutesTotal).toBe(30);
  });
  it('site:changed payloads are described by the shared schema', () => {
    const change = { siteId: 's', seq: 1, at: new Date().toISOString(), type: 'registration', businessDate: '2026-01-01', queue: 0, onShift: 0, occupied: 0, counters: emptyCounters(), hour: 3, hourIntakes: 0 };
    expect(SiteChanged.parse(change)).toEqual(change);
  });
});
