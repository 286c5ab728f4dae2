/**
 * i18next set-up. Both languages are bundled (the app is offline); the language in use comes
 * from the preferences and is switched with `i18n.changeLanguage`.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../main/common/api';
import { en } from './en';
import { ru } from './ru';

export const LANGUAGES: readonly Language[] = ['en', 'ru'];

export function initI18n(lng: Language): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru } },
    lng,
    fallbackLng: 'en',
    // React escapes everything it renders; escaping here would double-escape quotes.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18n;
}

export async function setLanguage(lng: Language): Promise<void> {
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
}
