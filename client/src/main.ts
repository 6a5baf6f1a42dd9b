import './zodConfig';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { installRouterGuards } from './routerGuard';
import { i18n } from './i18n';
import './styles/base.css';

const pinia = createPinia();
installRouterGuards(router, pinia);
createApp(App).use(pinia).use(router).use(i18n).mount('#app');
