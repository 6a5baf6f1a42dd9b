import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { UNDO_WINDOW_MS } from '../../../shared/api';
import { reportUnauthorized } from '../api';
import { defaultOutboxStorage, newIdempotencyKey, type OutboxStorage } from '../outboxDb';
import { useFloorStore } from './floor';
import {
  classify,
  nextToSend,
  overlay,
  pruneConfirmed,
  requestOf,
  settle,
  sortEntries,
  type ConfirmedCommand,
  type ConsoleCommand,
  type OutboxEntry,
  type SendOutcome,
} from './outboxQueue';

/** While entries wait and the server is unreachable, try again this often. */
const RETRY_MS = 3_000;

/** The action the undo toast offers to take back. */
export interface LastAction {
  entryId: string;
  command: ConsoleCommand;
  createdAt: number;
  /** Known once the server has applied it. */
  seq: number | null;
}

let tieBreak = 0;

/**
 * The staff console's commands: every command goes into the outbox (IndexedDB) with its
 * Idempotency-Key first, then out to the server in order. The grid shows the live floor with
 * the unconfirmed commands applied on top; a refusal takes its change back and stays listed.
 */
export const useConsoleStore = defineStore('console', () => {
  const floor = useFloorStore();
  let storage: OutboxStorage = defaultOutboxStorage();

  const siteId = ref<string | null>(null);
  const entries = shallowRef<OutboxEntry[]>([]);
  const confirmed = shallowRef<ConfirmedCommand[]>([]);
  /** The last send attempt got no answer (or a 503): the console is working offline. */
  const unreachable = ref(false);
  const needsSignIn = ref(false);
  const lastAction = shallowRef<LastAction | null>(null);
  /** The newest refusal, shown prominently until dismissed or replaced. */
  const latestProblem = shallowRef<OutboxEntry | null>(null);
  /** Where the outbox could not be read or written (storage blocked): entries then live in memory. */
  const storageError = ref(false);
  const durable = ref(storage.durable);

  let draining = false;
  let drainAgain = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let writes: Promise<void> = Promise.resolve();
  let generation = 0;

  const pending = computed(() => sortEntries(entries.value).filter((e) => e.state === 'pending'));
  const problems = computed(() => sortEntries(entries.value).filter((e) => e.state !== 'pending'));
  const offline = computed(() => unreachable.value || (floor.snapshot !== null && floor.status !== 'live'));

  /** The floor to draw: live state plus what the server has not shown back yet. */
  const view = computed(() => {
    const snap = floor.snapshot;
    if (!snap) return null;
    return overlay(snap, confirmed.value, entries.value, new Date(Date.now() + floor.clockOffsetMs).toISOString());
  });

  watch(
    () => floor.seq,
    (seq) => {
      if (seq !== null && confirmed.value.length) confirmed.value = pruneConfirmed(confirmed.value, seq);
    },
  );
  // Back online (the live link is up again): send what waited.
  watch(
    () => floor.status,
    (s) => {
      if (s === 'live') void drain();
    },
  );

  /** Queues a storage write behind the earlier ones, so IndexedDB sees them in order. */
  function persist(op: (s: OutboxStorage) => Promise<void>): void {
    const gen = generation;
    writes = writes
      .then(() => (gen === generation ? op(storage) : undefined))
      .catch((e: unknown) => {
        storageError.value = true;
        console.warn('roomwatch: outbox storage failed', e);
      });
  }

  /** Starts the console for a site: loads the outbox this device kept, then sends what waits. */
  async function open(id: string, store?: OutboxStorage): Promise<void> {
    if (store) {
      storage = store;
      durable.value = store.durable;
    }
    if (siteId.value === id) return;
    close();
    siteId.value = id;
    const gen = generation;
    try {
      const kept = await storage.list(id);
      if (gen !== generation) return;
      // Entries created while loading stay after the kept ones.
      const ids = new Set(kept.map((e) => e.id));
      entries.value = sortEntries([...kept, ...entries.value.filter((e) => !ids.has(e.id))]);
    } catch (e) {
      storageError.value = true;
      console.warn('roomwatch: outbox could not be read', e);
    }
    void drain();
  }

  function close(): void {
    generation++;
    clearTimeout(retryTimer);
    siteId.value = null;
    entries.value = [];
    confirmed.value = [];
    lastAction.value = null;
    latestProblem.value = null;
    unreachable.value = false;
  }

  /** Records a command: into the outbox at once (the grid shows it), then out to the server. */
  function submit(command: ConsoleCommand, opts: { undoable?: boolean } = {}): OutboxEntry | null {
    const id = siteId.value;
    if (!id) return null;
    const now = Date.now();
    tieBreak = (tieBreak + 1) % 1000;
    const entry: OutboxEntry = { id: newIdempotencyKey(), siteId: id, order: now + tieBreak / 1000, createdAt: now, command, state: 'pending' };
    entries.value = [...entries.value, entry];
    persist((s) => s.put(entry));
    if (opts.undoable !== false && command.kind !== 'undo') {
      lastAction.value = { entryId: entry.id, command, createdAt: now, seq: null };
    }
    void drain();
    return entry;
  }

  async function send(entry: OutboxEntry): Promise<SendOutcome> {
    const req = requestOf(entry.siteId, entry.command);
    let res: Response;
    try {
      res = await fetch(req.path, {
        method: req.method,
        headers: { accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': entry.id },
        credentials: 'same-origin',
        body: JSON.stringify(req.body),
      });
    } catch {
      return { kind: 'unreachable' };
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    return classify(res.status, body);
  }

  /** Sends pending entries one at a time, oldest first, until done or the server is unreachable. */
  async function drain(): Promise<void> {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    clearTimeout(retryTimer);
    const gen = generation;
    try {
      await writes; // an entry is on the device before it goes out
      for (;;) {
        if (gen !== generation || needsSignIn.value) return;
        const next = nextToSend(entries.value);
        if (!next) {
          unreachable.value = false;
          return;
        }
        const outcome = await send(next);
        if (gen !== generation) return;
        const step = settle(entries.value, next.id, outcome);
        entries.value = step.entries;
        if (outcome.kind === 'ok') {
          unreachable.value = false;
          persist((s) => s.remove(next.id));
          confirmed.value = [...confirmed.value, { command: next.command, seq: outcome.result.seq }];
          if (lastAction.value?.entryId === next.id) lastAction.value = { ...lastAction.value, seq: outcome.result.seq };
        } else if (outcome.kind === 'unreachable') {
          unreachable.value = true;
          retryTimer = setTimeout(() => void drain(), RETRY_MS);
          return;
        } else if (outcome.kind === 'unauthenticated') {
          needsSignIn.value = true;
          reportUnauthorized();
          return;
        } else if (step.entry) {
          unreachable.value = false;
          const refused = step.entry;
          persist((s) => s.put(refused));
          latestProblem.value = refused;
          if (lastAction.value?.entryId === refused.id) lastAction.value = null;
        }
        if (!step.proceed) return;
      }
    } finally {
      draining = false;
      if (drainAgain && gen === generation) {
        drainAgain = false;
        void drain();
      }
    }
  }

  /** Whether the undo toast may still offer to take back `lastAction`. */
  function canUndo(now = Date.now()): boolean {
    const a = lastAction.value;
    return a !== null && now - a.createdAt < UNDO_WINDOW_MS;
  }

  /**
   * Takes back the last action: still in the outbox → it simply never goes out; already applied
   * → a compensating undo command on the server (which checks the 30 s and the floor itself).
   */
  function undo(): void {
    const a = lastAction.value;
    if (!a || !canUndo()) return;
    lastAction.value = null;
    const waiting = entries.value.find((e) => e.id === a.entryId && e.state === 'pending');
    if (waiting && !draining) {
      entries.value = entries.value.filter((e) => e.id !== a.entryId);
      persist((s) => s.remove(a.entryId));
      return;
    }
    if (waiting) {
      // It may be on the wire right now: wait for its reply, then undo what it did.
      const stop = watch(confirmed, (list) => {
        const done = list.find((c) => c.command === a.command);
        if (done) {
          stop();
          submit({ kind: 'undo', seq: done.seq });
        } else if (!entries.value.some((e) => e.id === a.entryId)) stop();
      });
      return;
    }
    if (a.seq !== null) submit({ kind: 'undo', seq: a.seq });
  }

  /** Removes a refused entry once someone has read it. */
  function dismiss(entryId: string): void {
    entries.value = entries.value.filter((e) => e.id !== entryId);
    if (latestProblem.value?.id === entryId) latestProblem.value = null;
    persist((s) => s.remove(entryId));
  }

  function dismissLatest(): void {
    const p = latestProblem.value;
    if (p) dismiss(p.id);
  }

  /** Resolves when every queued storage write has finished (tests, page unload). */
  const flushed = () => writes;

  return {
    siteId,
    entries,
    pending,
    problems,
    offline,
    unreachable,
    needsSignIn,
    lastAction,
    latestProblem,
    storageError,
    durable,
    view,
    open,
    close,
    submit,
    drain,
    canUndo,
    undo,
    dismiss,
    dismissLatest,
    flushed,
  };
});
