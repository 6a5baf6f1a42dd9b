/*
 * A wall screen's display token. Pairing opens `/wall/:siteId#token=…`: the token is kept on
 * this device and removed from the address bar (a fragment never reaches the server, but it
 * would stay in the history and on screen). Sent as `auth: {token}` in the socket handshake and
 * as `Authorization: Bearer` on fetches. A screen without one pairs itself (WallPairing.vue).
 */
const STORAGE_KEY = 'roomwatch.wall.token';

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    console.warn('roomwatch: cannot read the display token from storage', e);
    return null;
  }
}

/** Takes a `#token=…` from the address bar (storing it), else the stored token, else null. */
export function captureDisplayToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const fromHash = new URLSearchParams(hash).get('token');
  if (fromHash !== null) {
    const rest = new URLSearchParams(hash);
    rest.delete('token');
    const fragment = rest.toString();
    const url = `${window.location.pathname}${window.location.search}${fragment ? `#${fragment}` : ''}`;
    window.history.replaceState(window.history.state, '', url);
    const token = fromHash.trim();
    if (token) {
      storeDisplayToken(token);
      return token;
    }
  }
  return readStored();
}

/** Keeps a display token on this device (from `#token=` or from pairing). */
export function storeDisplayToken(token: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, token);
  } catch (e) {
    // Still used for this page's life; the next reload would need pairing again.
    console.warn('roomwatch: cannot store the display token', e);
  }
}

/** Drops a token the server refused, so a reload goes straight to pairing. */
export function forgetDisplayToken(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch (e) {
    console.warn('roomwatch: cannot remove the display token from storage', e);
  }
}
