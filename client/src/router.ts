import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import SiteListPage from './pages/SiteListPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
// The wall is its own chunk: a TV loads only what it shows.
const WallPage = () => import('./pages/WallPage.vue');
// The site detail carries the charts and the time-zone code: loaded when opened, not with `/`.
const SitePage = () => import('./pages/SitePage.vue');

const routes: RouteRecordRaw[] = [
  // The overview: every visible site at a glance, live.
  { path: '/', name: 'sites', component: SiteListPage },
  { path: '/sites/:siteId', name: 'site', component: SitePage, props: true },
  // The printable monthly report (browser print → PDF): managers and up.
  { path: '/sites/:siteId/report', name: 'report', component: () => import('./pages/ReportPage.vue'), props: true, meta: { minRole: 'manager' } },
  // Shift handovers (readable and printable) and the alert history: issue 19.
  { path: '/sites/:siteId/handovers', name: 'handovers', component: () => import('./pages/HandoverListPage.vue'), props: true, meta: { minRole: 'staff' } },
  { path: '/sites/:siteId/handovers/:id', name: 'handover', component: () => import('./pages/HandoverPage.vue'), props: true, meta: { minRole: 'staff' } },
  { path: '/sites/:siteId/alerts', name: 'alert-history', component: () => import('./pages/AlertHistoryPage.vue'), props: true, meta: { minRole: 'lead' } },
  // Public: the wall authenticates with its own display token (pairing or `#token=`).
  { path: '/wall/:siteId', name: 'wall', component: WallPage, props: true, meta: { public: true } },
  // The staff console: loaded on demand, it carries the outbox and the recording sheets.
  { path: '/console/:siteId', name: 'console', component: () => import('./pages/ConsolePage.vue'), props: true, meta: { minRole: 'staff' } },
  // Accounts: the login page is open to all; settings sections are filtered by role inside.
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { minRole: 'lead' } },
  { path: '/not-allowed', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
});
