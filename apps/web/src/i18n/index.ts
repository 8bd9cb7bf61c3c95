/**
 * Every string the app shows lives in locales/<language>/*.json: common.json at the top level,
 * field.json under `field.`, public.json (the event signup and RSVP pages) under `public.`, console.json under `console.`, dashboard.json under `dashboard.` (the
 * same keys in every language; a test fails when one lacks a key of another). The language is the
 * one saved on the device, else the user's saved language once signed in, else the browser's.
 * The console's strings travel with the console's code (see addTranslations), so phones do not
 * download them.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import enCommon from './locales/en/common.json';
import enField from './locales/en/field.json';
import enPublic from './locales/en/public.json';
import esCommon from './locales/es/common.json';
import esField from './locales/es/field.json';
import esPublic from './locales/es/public.json';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = 'porchlight.language';

export function savedLanguage(): Language | null {
  const v = localStorage.getItem(KEY);
  return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : null;
}

function browserLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function setLanguage(lang: Language, remember = true): void {
  if (remember) localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: { ...enCommon, field: enField, public: enPublic } },
    es: { translation: { ...esCommon, field: esField, public: esPublic } },
  },
  lng: savedLanguage() ?? browserLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

/** Adds the strings of a lazily loaded part of the app under `key` (e.g. `console.`). */
export function addTranslations(key: string, byLanguage: Record<Language, object>): void {
  for (const lang of LANGUAGES) i18n.addResourceBundle(lang, 'translation', { [key]: byLanguage[lang] }, true, true);
}

export default i18n;

/**
 * A turf's name as people read it: turfs made by the cutter are named by their number alone
 * ("3"), worded here in the reader's language ("Turf 3", "Zona 3"); names organizers chose stay as
 * they are.
 */
export function turfLabel(name: string): string {
  return /^\d+$/.test(name) ? i18n.t('turf.numbered', { number: name }) : name;
}
