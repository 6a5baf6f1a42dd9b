import { computed, onScopeDispose, ref, type Ref } from 'vue';
import { DisplayHeartbeatAck } from '../../../../shared/events';
import { useNow } from '../../composables/useNow';
import { elapsedMs } from '../../stores/floorSequencer';
import { socket } from '../../socket';
import type { ConnectionStatus } from '../../stores/floor';

export const HEARTBEAT_MS = 30_000;
/** Data older than this reads as stale unless a heartbeat shows the link is alive. */
export const STALE_AFTER_MS = 30_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
/** Unanswered heartbeats in a row after which the link is presumed dead and rebuilt. */
const MAX_MISSED = 2;

/**
 * The wall's honesty about its data. A quiet floor sends no changes, so the wall also sends a
 * `display:heartbeat` every 30 s (the server records it for the "wall screen offline" alert)
 * and counts its acknowledgement as contact. Stale = the socket is not live, or neither a
 * change nor a heartbeat answer arrived for 30 s (a heartbeat still waiting for its answer
 * holds that off for its 5 s timeout, so a healthy link never flickers). Those 30 and 5 s are
 * measured on the monotonic clock (`elapsedMs`): a TV stick whose clock is corrected back an hour
 * while its link hangs open but silent must still say stale within 35 s, not in an hour and 35 s.
 */
export function useWallLink(siteId: Ref<string>, floor: { status: ConnectionStatus; lastUpdateAt: number | null; heardAt: number | null }) {
  // Ticks once a second: what makes `stale` look at the monotonic clock again.
  const now = useNow();
  /** Client clock (ms) of the last heartbeat answer: shown as the time of last contact. */
  const lastHeartbeatAt = ref<number | null>(null);
  /** Monotonic clock (`elapsedMs`) of the last heartbeat answer. */
  const heartbeatAnsweredAt = ref<number | null>(null);
  /** Monotonic clock of the heartbeat still waiting for its answer (null: none waiting). */
  const heartbeatSentAt = ref<number | null>(null);
  /** Server clock minus client clock from the last heartbeat. */
  const serverOffsetMs = ref(0);
  let missed = 0;
  let disposed = false;

  async function beat(): Promise<void> {
    if (disposed || !socket.connected || heartbeatSentAt.value !== null) return;
    const sent = Date.now();
    heartbeatSentAt.value = elapsedMs();
    try {
      const raw = await socket.timeout(HEARTBEAT_TIMEOUT_MS).emitWithAck('display:heartbeat', { siteId: siteId.value });
      const ack = DisplayHeartbeatAck.parse(raw);
      missed = 0;
      if (ack.ok) {
        const at = Date.now();
        lastHeartbeatAt.value = at;
        heartbeatAnsweredAt.value = elapsedMs();
        serverOffsetMs.value = Date.parse(ack.serverTime) - (sent + at) / 2;
      } else {
        console.warn('roomwatch: heartbeat refused', ack.error.code);
      }
    } catch (e) {
      missed++;
      console.warn('roomwatch: heartbeat unanswered', e);
      if (missed >= MAX_MISSED && socket.connected && !disposed) {
        // The socket says connected but nothing comes back: rebuild it (the store resubscribes).
        missed = 0;
        socket.disconnect();
        socket.connect();
      }
    } finally {
      heartbeatSentAt.value = null;
    }
  }

  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  const onConnect = () => void beat();
  socket.on('connect', onConnect);
  void beat();

  const lastContactAt = computed(() => Math.max(floor.lastUpdateAt ?? 0, lastHeartbeatAt.value ?? 0) || null);
  const stale = computed(() => {
    void now.value;
    if (floor.status !== 'live') return true;
    const contact = Math.max(floor.heardAt ?? -Infinity, heartbeatAnsweredAt.value ?? -Infinity);
    if (contact === -Infinity) return true;
    const t = elapsedMs();
    if (t - contact <= STALE_AFTER_MS) return false;
    const sent = heartbeatSentAt.value;
    return !(sent !== null && t - sent < HEARTBEAT_TIMEOUT_MS);
  });

  onScopeDispose(() => {
    disposed = true;
    clearInterval(timer);
    socket.off('connect', onConnect);
  });

  return { stale, lastContactAt, lastHeartbeatAt, serverOffsetMs, beat };
}
