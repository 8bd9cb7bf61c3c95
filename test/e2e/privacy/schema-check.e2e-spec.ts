import { Client } from 'pg';
import { assertTestDatabase } from '../../support/test-database';

/**
 * Porchlight records what a door got, never who lives there. This check reads the migrated
 * schema and fails if any column's name suggests it holds a person's immigration status,
 * nationality, birthplace, identity documents or ethnicity, so that such a column cannot slip in
 * through a migration unnoticed. A column that truly needs one of these words must be argued
 * for in docs/decisions.md and added to ALLOWED below, with the reason.
 */

/** Words of a column name: split at separators and at camelCase humps, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * Each pattern is tried on the name's words run together (`countryOfBirth`, `country_of_birth`
 * and `countryofbirth` all read `countryofbirth`) when it is long enough not to hide inside
 * innocent words, and on whole words (joined by `_`) when it is short: `visa` is in `advisable`,
 * `race` in `trace`, `ssn` could be in nothing, but `a_number` must not match `data_number`.
 */
const JOINED: [RegExp, string][] = [
  [/immigra/, 'immigration status'],
  [/migratory|migrantstatus/, 'immigration status'],
  [/nationality|nationalorigin|nationalid|nationalidentity|nationalnumber/, 'nationality or national identity number'],
  [/citizen/, 'citizenship'],
  [/naturali[sz]/, 'naturalisation'],
  [/birthplace|placeofbirth|countryofbirth|birthcountry|cityofbirth|birthcity|birthnation|stateofbirth|birthstate/, 'place of birth'],
  [/countryoforigin|origincountry|nativecountry|homecountry|foreignborn|bornabroad|borninus|usborn/, 'place of birth or origin'],
  [/passport/, 'passport'],
  [/socialsecurity/, 'social security number'],
  [/taxpayerid/, 'taxpayer identification number'],
  [/aliennumber|alienregistration|alienid|uscis|sevis|greencard|permanentresiden|workpermit|workauthori[sz]ation/, 'immigration record'],
  [/ethnic/, 'ethnicity'],
  [
    /undocumented|documentedstatus|documentationstatus|documentstatus|legalstatus|residencystatus|residentstatus|lawfulstatus/,
    'legal status',
  ],
  [/asylum|refugee|deport|detention|detained|removalorder|protectedstatus/, 'immigration proceedings'],
];

const WORDS: [RegExp, string][] = [
  [/(^|_)visas?(_|$)/, 'visa'],
  [/(^|_)a_?(number|num|no|nr)(_|$)/, 'alien registration number (A-number)'],
  [/(^|_)alien(s)?(_|$)/, 'alien registration'],
  [/(^|_)(ssn|ssns|itin|sin_papeles|papeles|papers)(_|$)/, 'identity documents'],
  [/(^|_)(race|races|racial)(_|$)/, 'race'],
  [/(^|_)(documented|daca|tps|i_?94|i_?9)(_|$)/, 'legal status'],
  [/(^|_)(nationality|national_id|national_origin)(_|$)/, 'nationality'],
];

/** What a column name suggests it holds, or null when it is innocent. */
export function forbiddenMeaning(name: string): string | null {
  const words = nameWords(name);
  const joined = words.join('');
  const spaced = words.join('_');
  for (const [pattern, meaning] of JOINED) if (pattern.test(joined)) return meaning;
  for (const [pattern, meaning] of WORDS) if (pattern.test(spaced)) return meaning;
  return null;
}

/** `table.column` names that may keep a flagged word, each with the reason. Empty, and should stay so. */
const ALLOWED: Record<string, string> = {};

describe('the schema names nothing about who lives at a door', () => {
  describe('the matcher', () => {
    it.each([
      'countryOfBirth',
      'country_of_birth',
      'birth_country',
      'CountryOfBirth',
      'countryofbirth',
      'birthplace',
      'place_of_birth',
      'country_of_origin',
      'immigration_status',
      'immigrationStatus',
      'immigrant',
      'nationality',
      'national_id',
      'nationalIdNumber',
      'citizenship',
      'is_citizen',
      'us_citizen',
      'naturalized_at',
      'visa',
      'visa_type',
      'visaExpiresAt',
      'alien_number',
      'a_number',
      'aNumber',
      'a_no',
      'alien',
      'passport_no',
      'passportNumber',
      'ssn',
      'social_security_number',
      'socialSecurityNo',
      'itin',
      'ethnicity',
      'ethnic_group',
      'race',
      'legal_status',
      'legalStatus',
      'documented',
      'undocumented',
      'has_papers',
      'green_card',
      'asylum_case',
      'refugee',
      'daca_recipient',
      'tps_status',
      'deportation_date',
      'detained_at',
      'work_permit',
    ])('catches %s', (name) => {
      expect(forbiddenMeaning(name)).not.toBeNull();
    });

    it.each([
      'birthday',
      'status',
      'language',
      'national_day',
      'follow_up',
      'legal_follow_up',
      'advisable',
      'revisable',
      'visibility',
      'visits',
      'trace_id',
      'grace_period',
      'embrace',
      'number',
      'unit_number',
      'phone_number',
      'data',
      'origin',
      'country_code',
      'document_count',
      'organization_id',
      'display_name',
      'do_not_knock_at',
      'coarse_lat',
      'quarantine_reason',
      'passkey',
      'nation_wide',
      'international',
      'detail',
    ])('leaves %s alone', (name) => {
      expect(forbiddenMeaning(name)).toBeNull();
    });
  });

  it('finds no such column in the migrated database', async () => {
    const url = process.env.DATABASE_URL ?? '';
    assertTestDatabase(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    let columns: { table: string; column: string }[];
    try {
      ({ rows: columns } = await client.query<{ table: string; column: string }>(
        `SELECT table_name AS table, column_name AS column FROM information_schema.columns
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY table_name, ordinal_position`,
      ));
    } finally {
      await client.end();
    }
    const tables = new Set(columns.map((c) => c.table));
    // The check is only worth something if it read the product's tables.
    for (const table of ['users', 'organizations', 'doors', 'buildings', 'visits', 'follow_ups', 'rsvps']) {
      expect(tables).toContain(table);
    }
    const flagged = columns
      .map((c) => ({ at: `${c.table}.${c.column}`, meaning: forbiddenMeaning(c.column) }))
      .filter((c) => c.meaning !== null && !(c.at in ALLOWED));
    console.log(`schema check: ${columns.length} columns in ${tables.size} tables and views read, ${flagged.length} flagged`);
    expect(flagged).toEqual([]);
  });
});
