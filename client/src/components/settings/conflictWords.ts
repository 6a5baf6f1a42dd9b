/** Words of the "someone saved in between" notice (Settings), Danish and English. */
const WORDS = {
  en: {
    title: 'Someone else saved these settings while you were editing. Your changes were not saved.',
    savedBy: 'Saved by {name}, {when}:',
    more: '… and {count} more changes',
    earlier: '… and earlier changes that are no longer listed.',
    hint: 'Reload to see their version, then make your change again.',
    reload: 'Reload their version',
    none: '(none)',
  },
  da: {
    title: 'En anden har gemt disse indstillinger, mens du redigerede. Dine ændringer blev ikke gemt.',
    savedBy: 'Gemt af {name}, {when}:',
    more: '… og {count} ændringer mere',
    earlier: '… og tidligere ændringer, som ikke længere vises.',
    hint: 'Genindlæs for at se deres version, og lav så din ændring igen.',
    reload: 'Genindlæs deres version',
    none: '(ingen)',
  },
} as const;

export type ConflictWord = keyof (typeof WORDS)['en'];

export function conflictWord(locale: string, key: ConflictWord, params: Record<string, string | number> = {}): string {
  const text: string = (locale.startsWith('da') ? WORDS.da : WORDS.en)[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}
