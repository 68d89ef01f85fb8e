/** Console settings kept in the browser, per workstation: the basemap, the language, the agent's phone extension. */
import { BASEMAPS, DEFAULT_BASEMAP, type BasemapSettings } from '../map/basemaps.ts';
import { LANGUAGES, currentLanguage, onLanguageChange, setLanguage, type Language } from '../i18n/i18n.ts';

const BASEMAP_KEY = 'urbanlink.basemap';
const LANGUAGE_KEY = 'urbanlink.language';
const EXTENSION_KEY = 'urbanlink.extension';

export function loadBasemap(): BasemapSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(BASEMAP_KEY) ?? 'null') as Partial<BasemapSettings> | null;
    if (saved && (BASEMAPS as readonly string[]).includes(saved.kind ?? '')) return { ...DEFAULT_BASEMAP, ...saved };
  } catch {
    // A damaged entry falls back to the offline map rather than breaking the console.
  }
  return DEFAULT_BASEMAP;
}

export function saveBasemap(settings: BasemapSettings): void {
  localStorage.setItem(BASEMAP_KEY, JSON.stringify(settings));
}

export function restoreLanguage(): void {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  const browser: Language = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  // The page's own language follows, so screen readers and the browser's fonts pick the right script.
  const mark = (language: Language) => (document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en');
  onLanguageChange(mark);
  setLanguage((LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : browser);
  mark(currentLanguage());
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  setLanguage(language);
}

/** The phone extension of this desk: calls the PBX announces for it pop the caller's history here. */
export function loadExtension(): string {
  return localStorage.getItem(EXTENSION_KEY) ?? '';
}

export function saveExtension(extension: string): void {
  localStorage.setItem(EXTENSION_KEY, extension);
}
