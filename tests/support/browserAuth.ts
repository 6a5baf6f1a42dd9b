import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, type TestServer } from './testServer';

/** Signs the page's browser context in (session cookie) as `username`, admin by default. */
export async function signIn(page: Page, srv: TestServer, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  // page.request shares the context's cookie jar, so the HttpOnly session cookie lands there.
  const res = await page.request.post(`${srv.baseUrl}/api/auth/login`, { data: { username, password } });
  if (!res.ok()) throw new Error(`sign-in as ${username} failed: ${res.status()} ${await res.text()}`);
}

/**
 * Opens `path` in `page` as a signed-in admin (console, manager views). Pages under test never
 * sign in through the form themselves, so the login flow is tested in one place (auth.test.ts).
 */
export async function openSignedIn(page: Page, srv: TestServer, path: string, username?: string, password?: string): Promise<void> {
  await signIn(page, srv, username, password);
  await page.goto(srv.baseUrl + path);
}

/** Opens a wall screen the way a paired TV does: a display token in the URL fragment. */
export async function openWall(page: Page, srv: TestServer, siteId: string, query = ''): Promise<void> {
  const token = await srv.token('display', 'display', [siteId]);
  await page.goto(`${srv.baseUrl}/wall/${siteId}${query}#token=${token}`);
}
