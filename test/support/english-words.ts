/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const LOCALES = join(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'locales');

/** Every word (3 letters or more, lower case) of a text. */
export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length >= 3);
}

/** Every word of the texts of one language's locale files, placeholders left out. */
function localeWords(lang: string): Set<string> {
  const words = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const w of tokens(v.replace(/\{\{[^}]*\}\}/g, ' '))) words.add(w);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const file of readdirSync(join(LOCALES, lang))) walk(JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')));
  return words;
}

/** Names that read the same in both languages: the product, formats, the language switch's own label. */
const NAMES = ['porchlight', 'english', 'csv', 'geojson', 'openaddresses', 'sms', 'smtp', 'ics', 'pdf', 'leaflet', 'openstreetmap', 'ice'];

/**
 * The words the English interface uses and the Spanish one never does: seeing one of them on a
 * Spanish screen means English leaked in (a server message, a made-up name, a missing key).
 */
export const ENGLISH_ONLY: ReadonlySet<string> = (() => {
  const spanish = localeWords('es');
  const out = new Set([...localeWords('en')].filter((w) => !spanish.has(w)));
  for (const n of NAMES) out.delete(n);
  return out;
})();

/**
 * The English-only words a screen shows, each with its line. Text the page marks as written in
 * another language (a material's English name beside its Spanish one) is left out, and so are
 * e-mail addresses, time zone names and the words of the test's own data.
 */
export async function englishOn(page: Page, dataWords: ReadonlySet<string>): Promise<{ word: string; line: string }[]> {
  const { body, foreign } = await page.evaluate(() => ({
    body: document.body.innerText,
    foreign: [...document.body.querySelectorAll<HTMLElement>('[lang]')]
      .filter((e) => !e.lang.toLowerCase().startsWith('es') && e.tagName !== 'OPTION')
      .map((e) => e.innerText.trim())
      .filter((x) => x.length > 0),
  }));
  let text = body;
  for (const f of foreign) text = text.replace(f, ' ');
  const found: { word: string; line: string }[] = [];
  for (const line of text.split('\n')) {
    const clean = line.replace(/\S+@\S+/g, ' ').replace(/\b[A-Z][a-z]+\/[A-Za-z_]+\b/g, ' ');
    for (const word of tokens(clean)) if (ENGLISH_ONLY.has(word) && !dataWords.has(word)) found.push({ word, line: line.trim() });
  }
  return found;
}
