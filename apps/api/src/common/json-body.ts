import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@app/core';

/**
 * Deeper than any body Porchlight takes (a GeoJSON MultiPolygon inside a FeatureCollection nests
 * nine deep). Deeper JSON would reach class-transformer and the validators, which recurse.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * More keys than any object Porchlight takes (a DTO has a few dozen fields; a neighbourhood's
 * GeoJSON properties, a few hundred at most). Validating an object costs more than its size: a
 * body of 90,000 keys held the event loop for seconds. Refused while the text is scanned.
 */
export const MAX_JSON_KEYS_PER_OBJECT = 1_000;

/** Keys in the whole body: a full sync batch holds a few thousand (500 visits), and each key costs its validation. */
export const MAX_JSON_KEYS = 30_000;

export type JsonTextProblem = 'too deep' | 'too many keys in an object' | 'too many keys' | 'NUL' | 'lone surrogate';

/**
 * What makes a JSON text unacceptable before it is even parsed: nesting deeper than `maxDepth`;
 * an object of more than `maxKeysPerObject` keys, or more than `maxKeys` in all;
 * a NUL character (`\u0000`), which PostgreSQL cannot store in text; half of a surrogate pair
 * (`\ud800` alone), which is not text at all, cannot be written as UTF-8, and makes validators
 * such as isEmail throw. Null when none. One pass over the text, which costs far less than the
 * parse. (Raw bytes that are not UTF-8 never get here as such: decoding makes them U+FFFD.)
 */
export function jsonTextProblem(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
  maxKeysPerObject = MAX_JSON_KEYS_PER_OBJECT,
  maxKeys = MAX_JSON_KEYS,
): JsonTextProblem | null {
  let depth = 0;
  let inString = false;
  let keys = 0;
  // Keys of each open object, by depth (-1 for an array): every ':' outside a string ends a key of the innermost object.
  const keysAt: number[] = [];
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
    else if (c === 0x3a /* : */) {
      if (++keysAt[depth] > maxKeysPerObject) return 'too many keys in an object';
      if (++keys > maxKeys) return 'too many keys';
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return 'too deep';
      keysAt[depth] = c === 0x7b ? 0 : -Infinity;
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
    if (problem === 'too many keys in an object') {
      done(new AppError('BAD_REQUEST', `An object in the body has more than ${MAX_JSON_KEYS_PER_OBJECT} keys`), undefined);
      return;
    }
    if (problem === 'too many keys') {
      done(new AppError('BAD_REQUEST', `The body has more than ${MAX_JSON_KEYS} keys`), undefined);
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
