import { io } from 'socket.io-client';
import { acceptSnapshot, checkGap, emptySequencer, isBehind, receiveChange, receiveChanges, type SequencerState, type SequencerStep } from '../../client/src/stores/floorSequencer';
import type { TestSocket } from './socketClient';

/**
 * A headless "screen": the same ordering and resync logic as the browser client
 * (client/src/stores/floorSequencer.ts), re-subscribing after every reconnect.
 */
export function startScreen(url: string, token: string, siteId: string, opts: { quietCheckMs?: number } = {}) {
  const socket: TestSocket = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, auth: { token } });
  let state: SequencerState = emptySequencer(siteId);
  let resyncs = 0;
  let lastConnectAt = 0;
  let lastHeardAt = Date.now();
  let gapTimer: ReturnType<typeof setTimeout> | null = null;

  const subscribe = async () => {
    const ack = await socket.timeout(5_000).emitWithAck('site:subscribe', { siteId }).catch(() => null);
    if (ack?.ok) {
      lastHeardAt = Date.now();
      handle(acceptSnapshot(state, ack.snapshot, Date.now(), { force: true }));
    }
  };
  const handle = (step: SequencerStep) => {
    state = step.state;
    if (step.effect.kind === 'resync') {
      resyncs++;
      void subscribe();
    } else if (step.effect.kind === 'wait' && !gapTimer) {
      gapTimer = setTimeout(() => {
        gapTimer = null;
        handle(checkGap(state, Date.now()));
      }, step.effect.untilMs - Date.now());
    }
  };
  socket.on('connect', () => {
    lastConnectAt = Date.now();
    void subscribe();
  });
  socket.on('site:changed', (c) => {
    lastHeardAt = Date.now();
    handle(receiveChange(state, c, Date.now()));
  });
  socket.on('site:changes', (f) => {
    lastHeardAt = Date.now();
    handle(receiveChanges(state, f.changes, Date.now()));
  });
  // The browser client's safety net (client/src/stores/floor.ts), with a test-sized quiet spell.
  const quietTimer = opts.quietCheckMs
    ? setInterval(async () => {
        if (!state.snapshot || Date.now() - lastHeardAt < opts.quietCheckMs!) return;
        const ack = await socket.timeout(5_000).emitWithAck('site:seq', { siteId }).catch(() => null);
        if (ack?.ok && isBehind(state, ack.seq)) {
          resyncs++;
          void subscribe();
        }
      }, opts.quietCheckMs / 2)
    : null;
  socket.on('site:resync', (e) => {
    if (e.siteId === siteId) {
      resyncs++;
      void subscribe();
    }
  });
  return {
    socket,
    get state() {
      return state;
    },
    get resyncs() {
      return resyncs;
    },
    get lastConnectAt() {
      return lastConnectAt;
    },
    close: () => {
      if (quietTimer) clearInterval(quietTimer);
      socket.close();
    },
  };
}
