import type { TestProject } from 'vitest/node';
import { ensureClientBuilt } from '../../server/scripts/clientBuild';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the client could not be built ('' when it was): the browser tier reports it. */
    clientBuildError: string;
  }
}

/**
 * The browser tier loads the built client from the server; build it once, before any test.
 * A failed build fails the browser tests (see `requireClientBuild`), not the other tiers.
 */
export default async function setup(project: TestProject): Promise<void> {
  try {
    await ensureClientBuilt((msg) => console.log(`[test setup] ${msg}`));
    project.provide('clientBuildError', '');
  } catch (err) {
    console.error('[test setup] client build failed; browser tests will fail:', err);
    project.provide('clientBuildError', String((err as Error).message ?? err));
  }
}
