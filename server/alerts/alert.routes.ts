import { Router, type Request } from 'express';
import { AckBody, AlertsQuery, BacktestQuery, PushSubscriptionBody, type AlertList } from '../../shared/alerts/schema';
import { authorize } from '../auth/policy';
import { createError, errors } from '../errors';
import { parseOr400 } from '../http/validate';
import type { SiteRegistry } from '../sites/sites.registry';
import type { AlertRepository } from './alert.repository';
import type { AlertService } from './alert.service';
import { backtest } from './backtest';
import type { PushService } from './push';
import type { AuditRepository } from '../audit/audit.repository';

/** Parse, authorise, call: alerts, acknowledgements, channel tests, backtest, push subscriptions. */
export function alertRoutes(d: {
  alerts: AlertService;
  sites: SiteRegistry;
  repo: AlertRepository;
  push: PushService;
  clock: (siteId: string) => number;
  /** Acknowledgements go to the audit log. */
  audit?: AuditRepository;
}): Router {
  const r = Router();
  const siteOf = (req: Request) => {
    const siteId = String(req.params.siteId);
    return siteId;
  };
  const entry = (siteId: string) => {
    const site = d.sites.get(siteId);
    if (!site) throw errors.notFound('Site');
    return site;
  };

  r.get('/sites/:siteId/alerts', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'site:read', siteId);
    entry(siteId);
    const { state } = parseOr400(AlertsQuery, req.query, 'query');
    const reply: AlertList = { siteId, alerts: await d.alerts.list(siteId, state) };
    res.json(reply);
  });

  r.get('/sites/:siteId/alerts/backtest', async (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'history:read', siteId);
    const site = entry(siteId);
    const q = parseOr400(BacktestQuery, req.query, 'query');
    res.json(await backtest(d.repo, site, q.rule, q.threshold, q.days, d.clock(site.config.id)));
  });

  r.get('/sites/:siteId/alerts/settings', (req, res) => {
    const siteId = siteOf(req);
    authorize(req.principal, 'settings:write', siteId);
    entry(siteId);
    res.json(d.alerts.settingsView(siteId));
  });

  r.post('/sites/:siteId/alerts/:alertId/ack', async (req, res) => {
    const siteId = siteOf(req);
    const p = authorize(req.principal, 'alert:ack', siteId);
    entry(siteId);
    const body = parseOr400(AckBody, req.body);
    const before = await d.repo.get(siteId, String(req.params.alertId));
    const alert = await d.alerts.ack(p, siteId, String(req.params.alertId), body.comment);
    // Only a new acknowledgement (a repeat changes nothing and is not logged again).
    const ack = alert.acknowledged;
    if (d.audit && ack && ack.at !== (before?.ackAt ? new Date(before.ackAt).toISOString() : null)) {
      await d.audit.append({ at: ack.at, actor: p.id, action: 'alert.ack', target: `${siteId}/alert/${alert.id}`, from: req.ip ?? '', detail: `${alert.rule} ${ack.severity}${ack.comment ? `: ${ack.comment}` : ''}` });
    }
    res.json(alert);
  });

  r.post('/sites/:siteId/channels/:channelId/test', async (req, res) => {
    const siteId = siteOf(req);
    const p = authorize(req.principal, 'settings:write', siteId);
    entry(siteId);
    res.json(await d.alerts.testChannel(p, siteId, String(req.params.channelId)));
  });

  r.get('/push/key', async (req, res) => {
    authorize(req.principal, 'site:read');
    res.json({ publicKey: await d.push.publicKey() });
  });

  r.post('/push/subscriptions', async (req, res) => {
    const p = authorize(req.principal, 'site:read');
    // A wall screen shows its alerts on the screen; push is for the phones of people on duty.
    if (p.role === 'display') throw createError('forbidden', 'Wall screens cannot subscribe to push notifications', 403);
    await d.push.subscribe(p, parseOr400(PushSubscriptionBody, req.body));
    res.status(201).json({ ok: true });
  });

  return r;
}
