import { Transform, TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError, reasonDetails } from '@app/core';
import { MAX_HEADER_BYTES } from '@app/turf';

/**
 * Content types that carry an address file as the raw request body. GeoJSON is a FeatureCollection
 * or a text sequence of features (RFC 8142), told apart by the content, so either type takes both.
 */
export const FILE_TYPES = { csv: ['text/csv', 'application/csv'], geojson: ['application/geo+json', 'application/geo+json-seq'] } as const;
const ALL_FILE_TYPES: readonly string[] = [...FILE_TYPES.csv, ...FILE_TYPES.geojson];
export const IMPORT_ROUTE = '/campaigns/:id/imports';

/**
 * Passes a CSV upload through, unless its first line is longer than MAX_HEADER_BYTES: then the rest
 * is read and dropped (never buffered on the API: a file of one 50 MiB line costs 64 KiB), and the
 * upload fails when it ends. Failing at the end, not at once, lets the client finish sending and
 * read the answer on a connection that stays usable.
 */
class HeaderLineLimit extends Transform {
  private seen = 0;
  private headerEnded = false;
  private tooLong = false;
  private received = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.tooLong) {
      // Dropped bytes count for the size limit too (a body sent without a length could run on).
      if (this.received > this.maxBytes) {
        const maxMb = Math.round(this.maxBytes / 1024 / 1024);
        callback(
          new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the ${maxMb} MB limit`, reasonDetails('file_too_large', { maxMb })),
        );
        return;
      }
      callback();
      return;
    }
    if (!this.headerEnded) {
      const newline = chunk.indexOf(0x0a);
      this.seen += newline === -1 ? chunk.length : newline;
      this.headerEnded = newline !== -1;
      if (this.seen > MAX_HEADER_BYTES) {
        this.tooLong = true;
        callback();
        return;
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.tooLong) {
      callback();
      return;
    }
    const maxKb = MAX_HEADER_BYTES / 1024;
    callback(
      new AppError(
        'UNREADABLE_FILE',
        `The first line (the CSV header) is longer than ${maxKb} KiB.`,
        reasonDetails('csv_header_too_long', { maxKb }),
      ),
    );
  }
}

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
    if (!(FILE_TYPES.csv as readonly string[]).includes(type)) {
      done(null, payload);
      return;
    }
    const limited = new HeaderLineLimit(maxBytes);
    done(null, payload.pipe(limited));
  });
}

export function fileFormatOf(contentType: string | undefined): 'csv' | 'geojson' | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if ((FILE_TYPES.csv as readonly string[]).includes(type)) return 'csv';
  if ((FILE_TYPES.geojson as readonly string[]).includes(type)) return 'geojson';
  return null;
}
