import { LANGS, t, targetLabel, type LabelKey, type Lang } from '$shared';
import { chrome, type ChromeKey } from './index';

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

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));

/** The screen language: screen chrome from web/src/lib/i18n, domain words from the shared labels. */
class Language {
  current = $state<Lang>(initialLanguage());

  set(lang: Lang) {
    this.current = lang;
    localStorage.setItem(STORAGE_KEY, lang);
  }

  /** Screen chrome (headings, buttons that are not domain terms). */
  ui = (key: ChromeKey, params: Record<string, string | number> = {}): string => fill(chrome[this.current][key], params);

  /** Domain vocabulary (stages, commands, rules, targets…), shared with the server. */
  d = (key: LabelKey, params: Record<string, string | number> = {}): string => t(this.current, key, params);

  target = (nerve: string): string => targetLabel(this.current, nerve);

  get locale(): string {
    return this.current === 'fr' ? 'fr-FR' : 'en-GB';
  }
}

export const language = new Language();
