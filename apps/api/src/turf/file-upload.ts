import type { FastifyInstance } from 'fastify';
import { AppError } from '@app/core';

/**
 * Content types that carry an address file as the raw request body. GeoJSON is a FeatureCollection
 * or a text sequence of features (RFC 8142), told apart by the content, so either type takes both.
 */
export const FILE_TYPES = { csv: ['text/csv', 'application/csv'], geojson: ['application/geo+json', 'application/geo+json-seq'] } as const;
const ALL_FILE_TYPES: readonly string[] = [...FILE_TYPES.csv, ...FILE_TYPES.geojson];
export const IMPORT_ROUTE = '/campaigns/:id/imports';

/**
 * Address files arrive as the raw body (no multipart), up to IMPORT_MAX_BYTES. Only the import
 * route may receive them: any other route answers 415 before a byte of the body is read.
 */
export function registerFileUploads(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addContentTypeParser(ALL_FILE_TYPES as string[], { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
    done(null, body),
  );
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (ALL_FILE_TYPES.includes(type) && request.routeOptions.url !== IMPORT_ROUTE) {
      done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
      return;
    }
    done(null, payload);
  });
}

export function fileFormatOf(contentType: string | undefined): 'csv' | 'geojson' | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if ((FILE_TYPES.csv as readonly string[]).includes(type)) return 'csv';
  if ((FILE_TYPES.geojson as readonly string[]).includes(type)) return 'geojson';
  return null;
}
