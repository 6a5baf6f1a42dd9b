import { markRaw, type Component } from 'vue';
import type { Role } from '../../../../shared/vocabulary';
import AlertsSection from './AlertsSection.vue';
import AuditSection from './AuditSection.vue';
import PairingSection from './PairingSection.vue';
import SiteConfigSection from './SiteConfigSection.vue';
import TokensSection from './TokensSection.vue';
import UsersSection from './UsersSection.vue';

/** One section of the settings page, shown to people with at least `minRole`. */
export interface SettingsSectionDef {
  /** Anchor id (`/settings#users`) and `data-section`. */
  id: string;
  /** i18n key of the section's title (also its entry in the page's section menu). */
  titleKey: string;
  minRole: Role;
  component: Component;
}

/**
 * The settings page is this list, in order. A new section (sites, staffing, alert
 * thresholds…) is one component under components/settings and one entry here.
 */
export const SETTINGS_SECTIONS: readonly SettingsSectionDef[] = [
  { id: 'site-config', titleKey: 'settings.site.title', minRole: 'manager', component: markRaw(SiteConfigSection) },
  { id: 'alerts', titleKey: 'settings.alerts.title', minRole: 'manager', component: markRaw(AlertsSection) },
  { id: 'pairing', titleKey: 'settings.pairing.title', minRole: 'lead', component: markRaw(PairingSection) },
  { id: 'tokens', titleKey: 'settings.tokens.title', minRole: 'lead', component: markRaw(TokensSection) },
  { id: 'users', titleKey: 'settings.users.title', minRole: 'admin', component: markRaw(UsersSection) },
  { id: 'audit', titleKey: 'settings.audit.title', minRole: 'admin', component: markRaw(AuditSection) },
];
