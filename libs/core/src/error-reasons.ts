/**
 * Some errors say more than their code: `details.reason` names the case, and `details.params`
 * carries what the sentence needs (numbers, names). The web app words each reason in the reader's
 * language (a test fails when one lacks its wording); `message` stays the English, for logs and
 * the API's other readers.
 */
export const ERROR_REASONS = [
  /** NOTHING_TO_CUT: a drawn area holds no door that is not in a turf already. */
  'no_free_doors_in_area',
  /** NOTHING_TO_CUT: every door of the campaign is in a turf, or there are none. */
  'no_doors_left',
  /** VALIDATION_FAILED: a drawn turf or a move would hold too many doors. params: max, count. */
  'turf_too_big',
  /** VALIDATION_FAILED: too few doors for the number of turfs asked. params: count, parts, min. */
  'too_few_doors_for_parts',
  /** TURF_ASSIGNED: someone walks a turf the change would touch. params: turfs (names, may be empty). */
  'turf_being_walked',
  /** CONFLICT: another turf of the campaign has this name. */
  'turf_name_taken',
  /** UNREADABLE_FILE: the CSV header lacks required columns. params: required, missing, found. */
  'csv_missing_columns',
  /** UNREADABLE_FILE: the first line is not a CSV header. */
  'csv_no_header',
  /** UNREADABLE_FILE: the CSV header line is longer than the limit. params: maxKb. */
  'csv_header_too_long',
  /** UNREADABLE_FILE: the CSV breaks off or is malformed. params: line (0 when unknown). */
  'csv_unreadable',
  /** UNREADABLE_FILE: the file is empty. */
  'file_empty',
  /** UNREADABLE_FILE: the file is binary. params: format (csv or geojson). */
  'file_not_text',
  /** UNREADABLE_FILE: not JSON at all. */
  'json_invalid',
  /** UNREADABLE_FILE: JSON, but not a FeatureCollection (nor a text sequence of features). */
  'geojson_not_collection',
  /** PAYLOAD_TOO_LARGE: an address file over the limit. params: maxMb. */
  'file_too_large',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** The `details` of an error with a reason. */
export function reasonDetails(
  reason: ErrorReason,
  params?: Record<string, string | number>,
): { reason: ErrorReason; params: Record<string, string | number> } {
  return { reason, params: params ?? {} };
}
