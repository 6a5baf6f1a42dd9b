import type { OutboxEntry } from './stores/outboxQueue';

/**
 * Where the console's outbox lives between page loads: IndexedDB on the device (one object
 * store, keyed by the entry id = Idempotency-Key, indexed by site). Plain IndexedDB in a small
 * wrapper; an in-memory store stands in where IndexedDB is unavailable (some private modes).
 */
export interface OutboxStorage {
  /** Whether entries survive a reload here. */
  readonly durable: boolean;
  list(siteId: string): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(id: string): Promise<void>;
}

const DB_NAME = 'roomwatch';
const DB_VERSION = 1;
const STORE = 'outbox';

const done = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('siteId', 'siteId');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB open blocked by another tab'));
  });
}

/** Runs one request in its own transaction and resolves when the transaction has committed. */
async function run<T>(db: IDBDatabase, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = db.transaction(STORE, mode);
  const result = done(fn(tx.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
  return result;
}

export function indexedDbOutbox(): OutboxStorage {
  let db: Promise<IDBDatabase> | null = null;
  const database = () => (db ??= openDb());
  return {
    durable: true,
    list: async (siteId) => run(await database(), 'readonly', (s) => s.index('siteId').getAll(siteId) as IDBRequest<OutboxEntry[]>),
    put: async (entry) => {
      // Plain data only: a Vue proxy cannot be structured-cloned.
      await run(await database(), 'readwrite', (s) => s.put(JSON.parse(JSON.stringify(entry)) as OutboxEntry));
    },
    remove: async (id) => {
      await run(await database(), 'readwrite', (s) => s.delete(id));
    },
  };
}

/** Keeps entries for this page only (tests, and browsers without IndexedDB). */
export function memoryOutbox(): OutboxStorage {
  const rows = new Map<string, OutboxEntry>();
  return {
    durable: false,
    list: async (siteId) => [...rows.values()].filter((e) => e.siteId === siteId).map((e) => structuredClone(e)),
    put: async (entry) => void rows.set(entry.id, structuredClone(entry)),
    remove: async (id) => void rows.delete(id),
  };
}

/** IndexedDB when the browser has it, else memory (the console then says entries will not survive a reload). */
export function defaultOutboxStorage(): OutboxStorage {
  return typeof indexedDB === 'undefined' ? memoryOutbox() : indexedDbOutbox();
}

/** A fresh Idempotency-Key. `crypto.randomUUID` needs a secure context; a tablet on plain http on the LAN has none. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
