import { AlertHistory, type AlertHistoryQuery } from '../../shared/alerts/history';
import { Handover, HandoverList } from '../../shared/handovers';
import { getJson } from './api';
import { sendJson } from './apiSend';

const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;
const query = (q: Record<string, string | undefined>) =>
  Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');

/** Endpoints of shift handovers and the alert history. */
export const handoversApi = {
  list: (siteId: string, from?: string, to?: string, signal?: AbortSignal) => getJson(`${site(siteId)}/handovers?${query({ from, to })}`, HandoverList, signal),
  get: (siteId: string, id: string, signal?: AbortSignal) => getJson(`${site(siteId)}/handovers/${encodeURIComponent(id)}`, Handover, signal),
  /** Closes the shift; the key makes a retry (a double tap, a lost answer) return the same handover. */
  close: (siteId: string, note: string, idempotencyKey: string) =>
    sendJson('POST', `${site(siteId)}/handovers`, note ? { note } : {}, Handover, { 'Idempotency-Key': idempotencyKey }),
  markRead: (siteId: string, id: string) => sendJson('POST', `${site(siteId)}/handovers/${encodeURIComponent(id)}/read`, {}, Handover, { 'Idempotency-Key': `read-${siteId}-${id}` }),
  alertHistory: (siteId: string, q: AlertHistoryQuery, signal?: AbortSignal) => getJson(`${site(siteId)}/alerts/history?${query(q)}`, AlertHistory, signal),
  alertsCsvUrl: (siteId: string, q: AlertHistoryQuery) => `${site(siteId)}/alerts.csv?${query(q)}`,
};
