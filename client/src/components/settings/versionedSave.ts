import { ConfigConflict, type VersionedSiteConfig } from '../../../../shared/siteSettings';
import { toApiError } from '../../api';
import { managerApi } from '../../managerApi';

export type VersionedSaveResult = { saved: VersionedSiteConfig } | { conflict: ConfigConflict };

/**
 * Saves what one settings form edits, based on the version the form loaded. When someone saved
 * in between (412) but changed only fields this form does not edit (`owns(path)` false for all
 * of them, and the change list is complete), the form's part is applied again on top of theirs,
 * once. Otherwise the conflict — who changed what, and the config as it is now — is returned for
 * the form to show with a reload. Other failures (400, 409, …) are thrown as `ApiError`s.
 */
export async function saveVersioned(
  siteId: string,
  base: VersionedSiteConfig,
  apply: (stored: VersionedSiteConfig) => object,
  owns: (path: string) => boolean,
): Promise<VersionedSaveResult> {
  let on = base;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const { version: _v, updatedBy: _b, updatedAt: _a, ...config } = apply(on) as VersionedSiteConfig;
      return { saved: await managerApi.saveConfig(siteId, config, on.version) };
    } catch (e) {
      const err = toApiError(e);
      if (err.status !== 412) throw err;
      const conflict = ConfigConflict.safeParse(err.body.error.details);
      if (!conflict.success) throw err;
      const theirs = conflict.data;
      const untouched = theirs.complete && theirs.changes.every((v) => v.changes.every((c) => !owns(c.path)));
      if (!untouched || attempt > 0) return { conflict: theirs };
      on = theirs.current;
    }
  }
  throw new Error('unreachable');
}
