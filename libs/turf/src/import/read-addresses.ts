import { parse } from 'csv-parse';
import { ErrorReason } from '@app/core';
import { ImportFormat } from '../entities';
import { OPTIONAL_COLUMNS, RawAddress, RejectionCode, REQUIRED_COLUMNS } from './address-row';

/** The file as a whole cannot be read: nothing of it is imported. */
export class UnreadableFileError extends Error {
  /** `message` is English; `reason` and `params` let the app word it (see ERROR_REASONS). */
  constructor(
    message: string,
    readonly reason: ErrorReason,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

export interface AddressRecord {
  /** Line of the CSV file (the header is line 1), or position of the GeoJSON feature (from 1; in a text sequence, of its record). */
  line: number;
  raw: RawAddress;
  /** Set when the record is not even shaped like an address (a GeoJSON feature that is not a Point). */
  problem?: string;
  /** The code of `problem` (see REJECTION_CODES). */
  problemCode?: RejectionCode;
}

/** The record separator of JSON text sequences (RFC 7464), which RFC 8142 puts before each GeoJSON feature. */
const RS = '\u001e';
const RS_BYTE = 0x1e;
const LF_BYTE = 0x0a;

/** How the records of a GeoJSON text sequence are separated. */
type Sequence = { separator: typeof RS_BYTE | typeof LF_BYTE };
const MAX_FEATURE_LINE = 1024 * 1024;
/**
 * The longest CSV header line taken (an OpenAddresses header is under 100 bytes; 200 named
 * columns fit in a few KiB). Longer is refused at once, on the API, before anything is queued.
 */
export const MAX_HEADER_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}

function checkHeader(columns: string[]): void {
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const found = columns.filter(Boolean).slice(0, 12).join(', ') || 'nothing';
    throw new UnreadableFileError(
      `The CSV header must name the columns ${REQUIRED_COLUMNS.join(', ')} (OpenAddresses layout; any order, extra columns ignored). ` +
        `Missing: ${missing.join(', ')}. Found: ${found}.`,
      'csv_missing_columns',
      { required: REQUIRED_COLUMNS.join(', '), missing: missing.join(', '), found: columns.filter(Boolean).slice(0, 12).join(', ') || '—' },
    );
  }
}

const headerOf = (names: string[]) =>
  names.map((h) =>
    String(h)
      .replace(/^\uFEFF/, '')
      .trim()
      .toUpperCase(),
  );

/**
 * The fields of a CSV header line (comma-separated; quoted fields with "" for a quote), in one
 * pass, or null when a quote is left open or stray text follows a closing quote. A header is read
 * on the API, so this stays linear where a general CSV parser is not on a long line.
 */
export function splitHeaderLine(line: string): string[] | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let from = ++i;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) return null;
        if (text[quote + 1] === '"') {
          value += text.slice(from, quote + 1);
          i = from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        i = quote + 1;
        break;
      }
      if (i < text.length && text[i] !== ',') return null;
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** Rejects at once what cannot be an address file, before anything is queued. */
export function sniffAddressFile(content: Buffer, format: ImportFormat): { estimatedRows: number } {
  if (content.length === 0) throw new UnreadableFileError('The file is empty.', 'file_empty');
  if (looksBinary(content))
    throw new UnreadableFileError(`This is not a ${format === 'csv' ? 'CSV' : 'GeoJSON'} text file.`, 'file_not_text', { format });
  if (format === 'geojson') {
    const start = content
      .subarray(0, 64)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (!start.startsWith('{') && !start.startsWith(RS)) {
      throw new UnreadableFileError(
        'A GeoJSON file must be a FeatureCollection object, or one Feature per line (GeoJSON text sequence).',
        'geojson_not_collection',
      );
    }
    const sequence = geoJsonSequenceOf(content);
    return { estimatedRows: sequence ? countRecords(content, sequence) : 0 };
  }
  const firstLineEnd = content.indexOf(0x0a);
  const headerBytes = firstLineEnd === -1 ? content.length : firstLineEnd;
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new UnreadableFileError(`The first line (the CSV header) is longer than ${MAX_HEADER_BYTES / 1024} KiB.`, 'csv_header_too_long', {
      maxKb: MAX_HEADER_BYTES / 1024,
    });
  }
  const header = splitHeaderLine(
    content
      .subarray(0, headerBytes)
      .toString('utf8')
      .replace(/^\uFEFF/, ''),
  );
  if (header === null) throw new UnreadableFileError('The first line is not a CSV header.', 'csv_no_header');
  checkHeader(headerOf(header));
  let lines = 0;
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) lines++;
  const endsWithNewline = content[content.length - 1] === 0x0a;
  return { estimatedRows: Math.max(0, lines - (endsWithNewline ? 1 : 0)) };
}

/**
 * Streams the records of a CSV (any column order and case, BOM or not, CRLF or LF, quoted fields) or
 * GeoJSON file (a FeatureCollection, or a text sequence of features: one per line, with or without
 * the RS separator of RFC 8142).
 */
export async function* readAddresses(content: Buffer, format: ImportFormat): AsyncGenerator<AddressRecord> {
  sniffAddressFile(content, format);
  if (format === 'geojson') {
    yield* readGeoJson(content);
    return;
  }
  const parser = parse(content, {
    bom: true,
    columns: (header: string[]) => {
      const names = headerOf(header);
      checkHeader(names);
      // Unknown columns are dropped (false) so records carry only what the import reads.
      return names.map((n) => (KNOWN.has(n) ? n : false));
    },
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  });
  try {
    for await (const item of parser as AsyncIterable<{ record: RawAddress; info: { lines: number } }>) {
      yield { line: item.info.lines, raw: item.record };
    }
  } catch (err) {
    if (err instanceof UnreadableFileError) throw err;
    const e = err as { message?: string; lines?: number };
    throw new UnreadableFileError(
      `The CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? String(err)}`,
      'csv_unreadable',
      {
        line: e.lines ?? 0,
      },
    );
  }
}

/**
 * A GeoJSON text sequence (RFC 8142, as `osmium export -f geojsonseq` writes) starts with the
 * record separator; newline-delimited features (the same without it) are recognised by a first
 * line that is a whole Feature. Anything else is read as one GeoJSON document.
 */
function geoJsonSequenceOf(content: Buffer): Sequence | null {
  const BLANK = [0x20, 0x09, 0x0d, LF_BYTE];
  let start = content.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  while (start < content.length && BLANK.includes(content[start])) start++;
  if (content[start] === RS_BYTE) return { separator: RS_BYTE };
  const end = content.indexOf(LF_BYTE, start);
  // A feature is short; a long first line is a whole document written on one line.
  if (end === -1 || end - start > MAX_FEATURE_LINE) return null;
  try {
    const first = JSON.parse(content.subarray(start, end).toString('utf8')) as { type?: unknown } | null;
    return first !== null && typeof first === 'object' && first.type === 'Feature' ? { separator: LF_BYTE } : null;
  } catch {
    return null;
  }
}

/** The records of a text sequence, as text, one at a time (blank ones skipped), without copying the file. */
function* sequenceRecords(content: Buffer, { separator }: Sequence): Generator<string> {
  let from = 0;
  while (from <= content.length) {
    const at = content.indexOf(separator, from);
    const end = at === -1 ? content.length : at;
    const text = content
      .subarray(from, end)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim();
    if (text !== '') yield text;
    if (at === -1) break;
    from = at + 1;
  }
}

/** An estimate, as for CSV lines: every separator starts or ends one record. */
function countRecords(content: Buffer, { separator }: Sequence): number {
  let n = 0;
  for (let i = content.indexOf(separator); i !== -1; i = content.indexOf(separator, i + 1)) n++;
  if (separator === LF_BYTE && content[content.length - 1] !== LF_BYTE) n++;
  return n;
}

function readGeoJson(content: Buffer): Generator<AddressRecord> {
  const sequence = geoJsonSequenceOf(content);
  return sequence ? readGeoJsonSequence(content, sequence) : readGeoJsonDocument(content);
}

/** One feature per record: a record that is not JSON is refused on its own, the others are read. */
function* readGeoJsonSequence(content: Buffer, sequence: Sequence): Generator<AddressRecord> {
  let line = 0;
  for (const text of sequenceRecords(content, sequence)) {
    line++;
    let feature: unknown;
    try {
      feature = JSON.parse(text);
    } catch {
      yield { line, raw: {}, problem: 'feature is not valid JSON', problemCode: 'feature_not_json' };
      continue;
    }
    yield featureRecord(feature, line);
  }
}

function* readGeoJsonDocument(content: Buffer): Generator<AddressRecord> {
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UnreadableFileError(`The file is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, 'json_invalid');
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new UnreadableFileError(
      'A GeoJSON file must be a FeatureCollection with a "features" array of Point features.',
      'geojson_not_collection',
    );
  }
  for (const [i, feature] of (fc.features as unknown[]).entries()) yield featureRecord(feature, i + 1);
}

const OSM_TAGS: Record<string, string> = {
  NUMBER: 'ADDR:HOUSENUMBER',
  STREET: 'ADDR:STREET',
  UNIT: 'ADDR:UNIT',
  CITY: 'ADDR:CITY',
  POSTCODE: 'ADDR:POSTCODE',
  ID: '@ID',
};

function featureRecord(feature: unknown, line: number): AddressRecord {
  const f = feature as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null } | null;
  if (!f || typeof f !== 'object' || f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) {
    return { line, raw: {}, problem: 'feature is not a Point', problemCode: 'feature_not_point' };
  }
  const props: Record<string, unknown> = {};
  const properties = f.properties !== null && typeof f.properties === 'object' ? f.properties : {};
  for (const [k, v] of Object.entries(properties)) props[k.trim().toUpperCase()] = v;
  // OpenStreetMap's tags, as osmium export writes them, where the OpenAddresses names are absent.
  for (const [column, tag] of Object.entries(OSM_TAGS))
    if (props[column] === undefined && props[tag] !== undefined) props[column] = props[tag];
  const [lon, lat] = f.geometry.coordinates as unknown[];
  const raw: RawAddress = { ...props, LON: lon, LAT: lat };
  return { line, raw };
}
