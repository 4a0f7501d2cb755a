import { invalidRequest } from './http-api-error';

const LOCALE = /^[a-z]{2,3}-[A-Z]{2}$/;

/** The usual locale of each ISO 639-1 language, for OpenAI-style `language=en` requests. */
const USUAL_LOCALE: Record<string, string> = {
  ar: 'ar-SA',
  cs: 'cs-CZ',
  da: 'da-DK',
  de: 'de-DE',
  el: 'el-GR',
  en: 'en-US',
  es: 'es-ES',
  fi: 'fi-FI',
  fr: 'fr-FR',
  he: 'he-IL',
  hi: 'hi-IN',
  hu: 'hu-HU',
  id: 'id-ID',
  it: 'it-IT',
  ja: 'ja-JP',
  ko: 'ko-KR',
  nb: 'nb-NO',
  nl: 'nl-NL',
  pl: 'pl-PL',
  pt: 'pt-BR',
  ro: 'ro-RO',
  ru: 'ru-RU',
  sv: 'sv-SE',
  th: 'th-TH',
  tr: 'tr-TR',
  uk: 'uk-UA',
  vi: 'vi-VN',
  zh: 'zh-CN',
};

/**
 * The recognition locale for a request: a locale (`en-GB`) as given; a bare language (`en`, as OpenAI's API
 * takes it) as the configured default locale when that speaks it, else the language's usual locale.
 */
export function recognitionLanguage(requested: string | undefined, defaultLanguage: string): string {
  if (requested === undefined || requested.trim() === '') return defaultLanguage;
  const value = requested.trim();
  const locale = value.replace(/^([a-zA-Z]{2,3})[-_]([a-zA-Z]{2})$/, (_m, l: string, r: string) => {
    return `${l.toLowerCase()}-${r.toUpperCase()}`;
  });
  if (LOCALE.test(locale)) return locale;
  const language = value.toLowerCase();
  if (/^[a-z]{2}$/.test(language)) {
    if (defaultLanguage.toLowerCase().startsWith(`${language}-`)) return defaultLanguage;
    const usual = USUAL_LOCALE[language];
    if (usual !== undefined) return usual;
  }
  throw invalidRequest(
    `language "${value.slice(0, 16)}" is not known; give a locale such as en-US or a language such as en`,
  );
}
