import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { Me } from '../../../shared/api';
import type { LoginBody } from '../../../shared/auth';
import { roleAtLeast, type Role } from '../../../shared/vocabulary';
import { getJson, toApiError } from '../api';
import { sendJson } from '../apiSend';
import { renewConnection } from '../socket';
import { useSitesStore } from './sites';

/**
 * Who is signed in. The session cookie is HttpOnly, so the client only ever knows what
 * `GET /api/me` says; `me === null` means signed out (or not known yet, until `loaded`).
 */
export const useSessionStore = defineStore('session', () => {
  const me = shallowRef<Me | null>(null);
  const loaded = ref(false);
  let inFlight: Promise<Me | null> | null = null;

  /** Asks the server who we are (once; `force` asks again). A 401 means nobody: `null`. */
  function load(force = false): Promise<Me | null> {
    if (inFlight) return inFlight;
    if (loaded.value && !force) return Promise.resolve(me.value);
    inFlight = getJson('/api/me', Me)
      .then((who) => who, (e: unknown) => {
        const err = toApiError(e);
        if (err.status === 401) return null;
        throw err;
      })
      .then((who) => {
        me.value = who;
        loaded.value = true;
        return who;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  /** Signs in; throws the `ApiError` (401 wrong user or password, 429 limited) for the form. */
  async function login(body: LoginBody): Promise<Me> {
    const who = await sendJson('POST', '/api/auth/login', body, Me);
    me.value = who;
    loaded.value = true;
    renewConnection(true);
    // Another person may have used this device: their list of sites is not ours.
    void useSitesStore().hydrate(true);
    return who;
  }

  /** Ends the session on the server; the local state is cleared even if that call fails. */
  async function logout(): Promise<void> {
    try {
      await sendJson('POST', '/api/auth/logout');
    } finally {
      forget();
    }
  }

  /** The server no longer knows us (logout, a 401, a disabled account): drop the local state. */
  function forget(): void {
    me.value = null;
    loaded.value = true;
    renewConnection(false);
  }

  /** True when the signed-in person has at least `role`. */
  const can = (role: Role): boolean => me.value !== null && roleAtLeast(me.value.role, role);

  return { me, loaded, load, login, logout, forget, can };
});
