import type { Page } from 'playwright-core';
import type { TestServer } from './testServer';

/**
 * Opens `path` in `page` as a signed-in admin (console, manager views). Owned by the security
 * work: pages under test never sign in themselves, so adding auth changes only this file.
 */
export async function openSignedIn(page: Page, srv: TestServer, path: string): Promise<void> {
  await page.goto(srv.baseUrl + path);
}

/** Opens a wall screen the way a paired TV does (a display token in the URL fragment, once tokens exist). */
export async function openWall(page: Page, srv: TestServer, siteId: string): Promise<void> {
  await page.goto(`${srv.baseUrl}/wall/${siteId}`);
}
