import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCALES = join(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'locales');
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const languages = readdirSync(LOCALES);
  const files = readdirSync(join(LOCALES, 'en'));

  it('ship English and Spanish', () => {
    expect(languages.sort()).toEqual(['en', 'es']);
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s: every language has every key, with the same placeholders and no empty text', (file) => {
    const english = flatten(JSON.parse(readFileSync(join(LOCALES, 'en', file), 'utf8')) as Tree);
    for (const lang of languages.filter((l) => l !== 'en')) {
      const other = flatten(JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')) as Tree);
      expect({ lang, missing: [...english.keys()].filter((k) => !other.has(k)) }).toEqual({ lang, missing: [] });
      expect({ lang, extra: [...other.keys()].filter((k) => !english.has(k)) }).toEqual({ lang, extra: [] });
      for (const [key, text] of other) {
        expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
        expect({ key, placeholders: variables(text) }).toEqual({ key, placeholders: variables(english.get(key)!) });
      }
    }
  });
});
