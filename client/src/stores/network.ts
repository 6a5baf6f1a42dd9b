import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { NetworkAck, NetworkSummary } from '../../../shared/network';
import { ensureConnected, socket } from '../socket';

/**
 * The other sites of the followed site's network (issue 18), for the suggestion card on the
 * wall and the console and the console's "sent to" choice. Follows with `network:subscribe`
 * (whose ack carries the summary) and again after every reconnect; kept current by
 * `network:changed`, which the server pushes when another site changes or hours flip.
 */
export const useNetworkStore = defineStore('network', () => {
  const siteId = ref<string | null>(null);
  const summary = shallowRef<NetworkSummary | null>(null);
  let bound = false;

  function take(raw: unknown): void {
    const parsed = NetworkSummary.safeParse(raw);
    if (parsed.success && parsed.data.siteId === siteId.value) summary.value = parsed.data;
  }

  function subscribe(): void {
    const id = siteId.value;
    if (!id || !socket.connected) return;
    socket.emit('network:subscribe', { siteId: id }, (raw) => {
      const ack = NetworkAck.safeParse(raw);
      if (!ack.success) return;
      if (ack.data.ok) take(ack.data.summary);
      else console.warn('roomwatch: network summary refused', ack.data.error.code);
    });
  }

  function bind(): void {
    if (bound) return;
    bound = true;
    socket.on('network:changed', take);
    socket.on('connect', subscribe);
  }

  function follow(id: string): void {
    bind();
    if (siteId.value === id) return;
    leave();
    siteId.value = id;
    ensureConnected();
    subscribe();
  }

  function leave(): void {
    if (siteId.value && socket.connected) socket.emit('network:unsubscribe', { siteId: siteId.value });
    siteId.value = null;
    summary.value = null;
  }

  return { siteId, summary, follow, leave };
});
