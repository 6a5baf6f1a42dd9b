import { ensureClientBuilt } from '../../server/scripts/clientBuild';

/** The browser tier loads the built client from the server; build it once, before any test. */
export default async function setup(): Promise<void> {
  await ensureClientBuilt((msg) => console.log(`[test setup] ${msg}`));
}
