import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import SiteListPage from './pages/SiteListPage.vue';
import SitePage from './pages/SitePage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';

const routes: RouteRecordRaw[] = [
  // Will grow into the manager overview (every site at a glance).
  { path: '/', name: 'sites', component: SiteListPage },
  { path: '/sites/:siteId', name: 'site', component: SitePage, props: true },
  // Reserved: the wall screen and the staff console start from the live site page.
  { path: '/wall/:siteId', name: 'wall', component: SitePage, props: true },
  { path: '/console/:siteId', name: 'console', component: SitePage, props: true },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
});
