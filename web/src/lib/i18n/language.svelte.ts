import { LANGS, t, targetLabel, translate, type LabelKey, type Lang, type Message, type Params } from '$shared';

const STORAGE_KEY = 'cryoday:lang';

function initialLanguage(): Lang {
  if (typeof localStorage === 'undefined') return 'fr';
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  // The browser decides until the user picks: French unless the browser prefers English.
  const preferred = (navigator.languages ?? [navigator.language]).map((l) => l.slice(0, 2).toLowerCase());
  const first = preferred.find((l) => l === 'fr' || l === 'en');
  return first === 'en' ? 'en' : 'fr';
}

/** The screen language, reactive: every label comes from the shared catalogue, said in it. */
class Language {
  current = $state<Lang>(initialLanguage());

  set(lang: Lang) {
    this.current = lang;
    localStorage.setItem(STORAGE_KEY, lang);
  }

  t = (key: LabelKey, params: Params = {}): string => t(this.current, key, params);

  /** A refusal or any other message the domain handed over untranslated. */
  say = (message: Message): string => translate(this.current, message);

  target = (nerve: string): string => targetLabel(this.current, nerve);

  get locale(): string {
    return this.current === 'fr' ? 'fr-FR' : 'en-GB';
  }
}

export const language = new Language();
