import './zodConfig';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { installRouterGuards } from './routerGuard';
import { i18n } from './i18n';
import { registerServiceWorker } from './components/alerts/pushSubscribe';
import './styles/base.css';

const pinia = createPinia();
installRouterGuards(router, pinia);
createApp(App).use(pinia).use(router).use(i18n).mount('#app');
// The service worker shows pushed alerts on phones; registered on every secure page so it is in
// place (and kept up to date) before anyone taps "Notify me". Wall screens take no push.
if (!location.pathname.startsWith('/wall/')) void registerServiceWorker();
