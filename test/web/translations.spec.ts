import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_REASONS, ERROR_STATUS } from '../../libs/core/src';
import { CLOCK_FLAGS } from '../../libs/canvassing/src/entities/field.entity';
import { SYNC_REJECTIONS } from '../../libs/canvassing/src/dto/sync.dto';
import { REMINDER_REASON_CODES } from '../../libs/events/src/reminder-reasons';
import { REJECTION_CODES } from '../../libs/turf/src/import/address-row';
import { DEFAULT_TEMPLATES } from '../../libs/events/src/templates/default-templates';
import { passwordResetMessage } from '../../libs/organizations/src/services/password-reset-message';

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

/**
 * What the server sends as codes is worded by the app: a code with no wording in a language would
 * show the server's English (or nothing) on that language's screens.
 */
describe('every code the server can send has wording in every language', () => {
  const languages = readdirSync(LOCALES);
  const keys = (lang: string, file: string, prefix = '') =>
    new Set([...flatten(JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')) as Tree).keys()].map((k) => prefix + k));
  const lists: [string, string, string, readonly string[]][] = [
    ['error codes', 'common.json', 'errors.', Object.keys(ERROR_STATUS)],
    ['error reasons', 'common.json', 'errors.reasons.', ERROR_REASONS],
    ['import rejection codes', 'console.json', 'import.rejectionReasons.', REJECTION_CODES],
    ['sync rejection codes', 'field.json', 'rejections.', SYNC_REJECTIONS],
    ['reminder reason codes', 'dashboard.json', 'reminderReason.', REMINDER_REASON_CODES],
    ['clock flags', 'dashboard.json', 'clocks.reasons.', CLOCK_FLAGS],
  ];

  it.each(lists)('%s (%s)', (_what, file, prefix, codes) => {
    expect(codes.length).toBeGreaterThan(0);
    for (const lang of languages) {
      const have = keys(lang, file);
      expect({ lang, missing: codes.filter((c) => !have.has(prefix + c)) }).toEqual({ lang, missing: [] });
    }
  });
});

/**
 * Spanish speaks to people as "usted" everywhere, in the app and in the messages the server sends:
 * no "tú" form (tu, te, únete, elige...) beside "su", "le", "únase", "elija".
 */
describe('Spanish uses one register: usted', () => {
  // Words only the "tú" register uses (possessives, pronouns, verb forms); ambiguous ones like
  // "elige" (also "he chooses") are left to review.
  const TU = new Set(
    (
      'tu tus te ti contigo tienes puedes estás eres quieres necesitas debes has sabes ' +
      'únete inscríbete inténtalo ábrelo escríbelo déjalo danos dinos haz pon regístralas bórralos muévelo pídela pídelo ' +
      'recárgala elígela compruébalo'
    ).split(' '),
  );
  const tuWords = (text: string) =>
    text
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => TU.has(w));

  it.each(readdirSync(join(LOCALES, 'es')))('es/%s', (file) => {
    const found = [...flatten(JSON.parse(readFileSync(join(LOCALES, 'es', file), 'utf8')) as Tree)]
      .map(([key, text]) => ({ key, words: tuWords(text) }))
      .filter((x) => x.words.length > 0);
    expect(found).toEqual([]);
  });

  it('the messages the server sends in Spanish', () => {
    const texts: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') texts.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(DEFAULT_TEMPLATES.es);
    collect(passwordResetMessage('es', { displayName: 'Ana', url: 'https://example.org/reset', validMinutes: 60 }));
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.filter((t) => tuWords(t).length > 0)).toEqual([]);
  });
});
