import { z } from 'zod';
import { AlertList } from '../../shared/alerts/schema';
import { PaydaysReply } from '../../shared/calendar';
import { VersionedSiteConfig } from '../../shared/siteSettings';
import { getJson, isApiError } from './api';
import { sendJson } from './apiSend';

const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`;

/** The manager views' endpoints: paydays, alerts count, site settings (history: `historyApi.ts`). */
export const managerApi = {
  paydays: (siteId: string, year: number, signal?: AbortSignal) =>
    getJson(`/api/calendar/paydays?year=${year}&siteId=${encodeURIComponent(siteId)}`, PaydaysReply, signal),
  /** Open alerts, or null when the alerts endpoint is not there (the count is then hidden). */
  activeAlerts: async (siteId: string, signal?: AbortSignal) => {
    try {
      return await getJson(`${site(siteId)}/alerts?state=active`, AlertList, signal);
    } catch (e) {
      if (isApiError(e) && (e.status === 404 || e.code === 'bad_response')) return null;
      throw e;
    }
  },
  /** A site's settings with the version they are (send it back when saving). */
  config: (siteId: string, signal?: AbortSignal) => getJson(`${site(siteId)}/config`, VersionedSiteConfig, signal),
  /** Saves settings based on `version`; a 412 (someone saved meanwhile) carries a `ConfigConflict`. */
  saveConfig: (siteId: string, config: object, version: number) => sendJson('PUT', `${site(siteId)}/config`, { ...config, version }, VersionedSiteConfig),
  reportCsvUrl: (siteId: string, from: string, to: string, suppressBelow?: number) =>
    `${site(siteId)}/report.csv?from=${from}&to=${to}${suppressBelow ? `&suppressBelow=${suppressBelow}` : ''}`,
};

export const Paydays = z.array(z.string());
