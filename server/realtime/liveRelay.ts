import type { Redis } from 'ioredis';
import { SiteChanged } from '../../shared/events';
import { decodeLive, type LiveMessage } from '../floor/floor.repository';
import type { Logger } from '../logger';
import { hashTagOf, LIVE_PATTERN } from '../store/keys';
import type { Framer } from './frames';

export interface LiveRelay {
  /** Resolves once this instance listens to every site's live channel. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Every instance hears every site's changes from Redis and hands them to its own screens.
 * The floor command script publishes each change inside its commit, and Redis runs scripts one
 * at a time and delivers one connection's messages in order: screens get a site's changes in
 * `seq` order whichever instance made them, and a change reaches them even if the instance that
 * made it died right after the commit. (With ROOMWATCH_REDIS_WAIT_REPLICAS the instance publishes
 * a confirmed change itself, as JSON, after its replicas have it.)
 */
export function startLiveRelay(deps: {
  subscriber: Redis;
  /** Builds the `site:changed` payload of a change the script published. */
  toChange: (siteId: string, message: LiveMessage) => SiteChanged | null;
  framer: Framer;
  log: Logger;
  /** The subscription came back after a drop: messages may have been missed meanwhile. */
  onResubscribed: () => void;
  /** Told of every site's change, followed here or not (the network summaries of other sites). */
  heard?: (siteId: string) => void;
}): LiveRelay {
  const { subscriber, log } = deps;
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    const siteId = hashTagOf(channel);
    if (siteId) deps.heard?.(siteId);
    // Nobody here follows the site: a screen subscribing now gets a snapshot that holds the change.
    if (!siteId || !deps.framer.wants(siteId)) return;
    try {
      const change = message.startsWith('{') ? SiteChanged.parse(JSON.parse(message)) : decode(siteId, message);
      if (change) deps.framer.push(change);
    } catch (err) {
      // A lost change leaves a gap in seq, which screens repair with a fresh snapshot.
      log.warn({ err, siteId }, 'could not relay a live change');
    }
  });
  const decode = (siteId: string, message: string) => {
    const parsed = decodeLive(message);
    return parsed ? deps.toChange(siteId, parsed) : null;
  };
  let subscribedBefore = false;
  subscriber.on('ready', () => {
    // ioredis subscribes again by itself after a reconnect; what was published meanwhile is gone.
    if (subscribedBefore) deps.onResubscribed();
  });
  const ready = subscriber.psubscribe(LIVE_PATTERN).then(() => {
    subscribedBefore = true;
  });
  ready.catch((err: unknown) => log.error({ err }, 'live relay could not subscribe'));
  return {
    ready,
    close: async () => {
      deps.framer.close();
      subscriber.disconnect();
    },
  };
}
