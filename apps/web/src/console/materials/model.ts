/** The materials API's answers as the console reads them, and how a failed request is worded. */
import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from '../../api/client';

export const MATERIAL_KINDS = ['kyr_card', 'hotline_card', 'flyer', 'red_card', 'other'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

export interface Material {
  id: string;
  name: string;
  names: { en?: string; es?: string };
  kind: MaterialKind;
  language: string;
  linkUrl: string | null;
  stock: number;
  lowStockThreshold: number | null;
  lowStock: boolean;
  retiredAt: string | null;
}

/** The material's name in the person's language, else the catalogue's. */
export const materialName = (m: { name: string; names?: Record<string, string | undefined> }, lang: string): string =>
  m.names?.[lang.slice(0, 2)] || m.name;

/** A language code as a word in the person's language ("español", "Spanish"). */
export function languageName(code: string, lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    return code;
  }
}

export const formatCount = (n: number, lang: string) => n.toLocaleString(lang);

/** Which field of the form each server field maps to, and how it is worded. */
const FIELD_MESSAGES: [RegExp, string][] = [
  [/^name$/, 'materials.errors.nameLength'],
  [/^names\.(en|es)$/, 'materials.errors.nameLength'],
  [/^names/, 'materials.errors.nameMissing'],
  [/^language$/, 'materials.errors.language'],
  [/^kind$/, 'materials.errors.kind'],
  [/^stock$/, 'materials.errors.stock'],
  [/^lowStockThreshold$/, 'materials.errors.threshold'],
  [/^linkUrl$/, 'materials.errors.linkUrl'],
];

/**
 * A failed materials request as sentences in the person's language: the API's codes and field
 * names are worded here, never its English messages.
 */
export function materialErrors(error: unknown, t: TFunction): string[] {
  if (!error) return [];
  if (error instanceof NetworkError) return [t('common.offlineError')];
  if (!(error instanceof ApiError)) return [t('common.unexpectedError')];
  const fields = (error.details as { fields?: Record<string, string[]> } | undefined)?.fields ?? {};
  switch (error.code) {
    case 'CONFLICT':
      return [t('materials.errors.nameTaken')];
    case 'MATERIAL_RETIRED':
      return [t('materials.errors.retired')];
    case 'NOT_FOUND':
      return [t('materials.errors.notFound')];
    case 'FORBIDDEN':
      return [t('materials.errors.forbidden')];
    case 'VALIDATION_FAILED': {
      const worded = Object.keys(fields).map((f) => FIELD_MESSAGES.find(([re]) => re.test(f))?.[1] ?? 'materials.errors.invalid');
      const unique = [...new Set(worded.length > 0 ? worded : ['materials.errors.invalid'])];
      return unique.map((k) => t(k));
    }
    default:
      return [t(`errors.${error.code}`, { defaultValue: t('common.unexpectedError') })];
  }
}
