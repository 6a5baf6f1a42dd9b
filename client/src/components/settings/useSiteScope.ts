import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useSitesStore } from '../../stores/sites';

/** Site names for scopes (`'*'` or ids), from the sites the signed-in person may see. */
export function useSiteScope() {
  const { t } = useI18n();
  const sites = useSitesStore();
  onMounted(() => void sites.hydrate());

  const choices = computed(() => sites.sites.map((s) => ({ id: s.id, name: s.name })));
  const siteName = (id: string) => sites.site(id)?.name ?? id;
  const scopeLabel = (scope: '*' | readonly string[]) => (scope === '*' ? t('settings.allSites') : scope.map(siteName).join(', '));

  return { choices, siteName, scopeLabel };
}

/** Bumped when something other than the tokens section creates a token (pairing a screen). */
export const tokensChanged = ref(0);
