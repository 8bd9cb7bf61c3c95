/** Numbers, percentages and times in the reader's language. */
export const formatNumber = (n: number, lang: string) => new Intl.NumberFormat(lang).format(n);

export const formatPct = (n: number, lang: string) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n);

/** A door as people write it: "104 Main St", or "100 Main St, Apt 2". */
export const formatDoor = (d: { number: string; street: string; unit: string | null }) =>
  d.unit ? `${d.number} ${d.street}, ${d.unit}` : `${d.number} ${d.street}`;

export function formatDateTime(iso: string, lang: string, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/**
 * A bucket of the series ("2026-11-16T17:00", already in the campaign's zone) as words. The text
 * is read as if it were UTC and formatted in UTC, so the browser's own zone never shifts it.
 */
export function formatBucket(at: string, bucket: 'hour' | 'day', lang: string): string {
  const d = new Date(`${at}:00Z`);
  if (Number.isNaN(d.getTime())) return at;
  return new Intl.DateTimeFormat(
    lang,
    bucket === 'day' ? { dateStyle: 'medium', timeZone: 'UTC' } : { month: 'short', day: 'numeric', hour: 'numeric', timeZone: 'UTC' },
  ).format(d);
}
