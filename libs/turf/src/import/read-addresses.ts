import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { ImportFormat } from '../entities';
import { OPTIONAL_COLUMNS, RawAddress, REQUIRED_COLUMNS } from './address-row';

/** The file as a whole cannot be read: nothing of it is imported. */
export class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

export interface AddressRecord {
  /** Line of the CSV file (the header is line 1), or position of the GeoJSON feature (from 1). */
  line: number;
  raw: RawAddress;
  /** Set when the record is not even shaped like an address (a GeoJSON feature that is not a Point). */
  problem?: string;
}

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

/** Rejects at once what cannot be an address file, before anything is queued. */
export function sniffAddressFile(content: Buffer, format: ImportFormat): { estimatedRows: number } {
  if (content.length === 0) throw new UnreadableFileError('The file is empty.');
  if (looksBinary(content)) throw new UnreadableFileError(`This is not a ${format === 'csv' ? 'CSV' : 'GeoJSON'} text file.`);
  if (format === 'geojson') {
    const start = content
      .subarray(0, 64)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (!start.startsWith('{')) throw new UnreadableFileError('A GeoJSON file must be a FeatureCollection object.');
    return { estimatedRows: 0 };
  }
  const firstLineEnd = content.indexOf(0x0a);
  const firstLine = content.subarray(0, firstLineEnd === -1 ? content.length : firstLineEnd).toString('utf8');
  let header: string[];
  try {
    const rows: string[][] = parseSync(firstLine, { bom: true, relax_column_count: true });
    header = rows[0] ?? [];
  } catch {
    throw new UnreadableFileError('The first line is not a CSV header.');
  }
  checkHeader(headerOf(header));
  let lines = 0;
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) lines++;
  const endsWithNewline = content[content.length - 1] === 0x0a;
  return { estimatedRows: Math.max(0, lines - (endsWithNewline ? 1 : 0)) };
}

/** Streams the records of a CSV (any column order and case, BOM or not, CRLF or LF, quoted fields) or GeoJSON file. */
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
    throw new UnreadableFileError(`The CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message ?? String(err)}`);
  }
}

function* readGeoJson(content: Buffer): Generator<AddressRecord> {
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UnreadableFileError(`The file is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new UnreadableFileError('A GeoJSON file must be a FeatureCollection with a "features" array of Point features.');
  }
  for (const [i, feature] of (fc.features as unknown[]).entries()) {
    const f = feature as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null } | null;
    const line = i + 1;
    if (!f || f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) {
      yield { line, raw: {}, problem: 'feature is not a Point' };
      continue;
    }
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) props[k.trim().toUpperCase()] = v;
    const [lon, lat] = f.geometry.coordinates as unknown[];
    const raw: RawAddress = { ...props, LON: lon, LAT: lat };
    yield { line, raw };
  }
}
