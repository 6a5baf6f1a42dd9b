import { HistoryReply, type HistoryBucketSize } from '../../shared/history';
import { getJson } from './api';

/**
 * A site's day or hour buckets (`GET /api/sites/:siteId/history`). Apart from `managerApi`
 * because only the site page's charts and the monthly report read it: the overview's first load
 * on a phone does not carry the history schemas.
 */
export const fetchHistory = (siteId: string, from: string, to: string, bucket: HistoryBucketSize, signal?: AbortSignal) =>
  getJson(`/api/sites/${encodeURIComponent(siteId)}/history?from=${from}&to=${to}&bucket=${bucket}`, HistoryReply, signal);
