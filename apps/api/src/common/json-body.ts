import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@app/core';

/**
 * Deeper than any body Porchlight takes (a GeoJSON MultiPolygon inside a FeatureCollection nests
 * nine deep). Deeper JSON would reach class-transformer and the validators, which recurse.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * What makes a JSON text unacceptable before it is even parsed: nesting deeper than `maxDepth`;
 * a NUL character (`\u0000`), which PostgreSQL cannot store in text; half of a surrogate pair
 * (`\ud800` alone), which is not text at all, cannot be written as UTF-8, and makes validators
 * such as isEmail throw. Null when none. One pass over the text, which costs far less than the
 * parse. (Raw bytes that are not UTF-8 never get here as such: decoding makes them U+FFFD.)
 */
export function jsonTextProblem(text: string, maxDepth = MAX_JSON_DEPTH): 'too deep' | 'NUL' | 'lone surrogate' | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        if (text[i + 1] === 'u') {
          const unit = parseInt(text.slice(i + 2, i + 6), 16);
          if (unit === 0) return 'NUL';
          if (unit >= 0xdc00 && unit <= 0xdfff) return 'lone surrogate';
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const next = text[i + 6] === '\\' && text[i + 7] === 'u' ? parseInt(text.slice(i + 8, i + 12), 16) : NaN;
            if (!(next >= 0xdc00 && next <= 0xdfff)) return 'lone surrogate';
            i += 6;
          }
          i += 5;
        } else i++;
      } else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return 'too deep';
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return null;
}

/**
 * JSON is the only body the API parses (address files aside, see file-upload.ts): Fastify's
 * parser, with poisoned prototypes refused, behind the checks of jsonTextProblem. A NUL in the
 * address is refused too, for the same reason as in a body.
 */
export function registerJsonBody(app: NestFastifyApplication): void {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', {}, (request, body, done) => {
    const text = body.toString('utf8');
    const problem = jsonTextProblem(text);
    if (problem === 'too deep') {
      done(new AppError('BAD_REQUEST', `The body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    if (problem === 'NUL') {
      done(new AppError('BAD_REQUEST', 'Text may not contain NUL characters (\\u0000)'), undefined);
      return;
    }
    if (problem === 'lone surrogate') {
      done(new AppError('BAD_REQUEST', 'The body holds half of a UTF-16 surrogate pair, which is not text'), undefined);
      return;
    }
    void parse(request as Parameters<typeof parse>[0], text, done);
  });
  void fastify.addHook('onRequest', (request, _reply, done) => {
    done(/%00/i.test(request.url) ? new AppError('BAD_REQUEST', 'The address may not contain NUL characters (%00)') : undefined);
  });
}
