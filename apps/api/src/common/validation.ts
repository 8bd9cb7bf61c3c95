import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { fieldErrors, ValidationFailedError } from '@app/core';

export { fieldErrors };

/** An error answer names this many problems at most, and says how many more there are. */
export const MAX_LISTED_PROBLEMS = 10;

/** The fields a DTO class declares (with those it inherits), as the whitelist of class-validator sees them. */
const knownFieldsCache = new WeakMap<object, ReadonlySet<string>>();
function knownFieldsOf(metatype: new (...args: unknown[]) => unknown): ReadonlySet<string> {
  let known = knownFieldsCache.get(metatype);
  if (!known) {
    known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(metatype, '', true, false)
        .map((m) => m.propertyName),
    );
    knownFieldsCache.set(metatype, known);
  }
  return known;
}

/** The error of a request with problems: the first few named, the count of all in the message. */
export function validationFailed(fields: Record<string, string[]>, total = Object.keys(fields).length): ValidationFailedError {
  const names = Object.keys(fields).slice(0, MAX_LISTED_PROBLEMS);
  const listed = Object.fromEntries(names.map((n) => [n, fields[n]]));
  const more = total - names.length;
  return new ValidationFailedError(
    listed,
    `The request is not valid: ${names.slice(0, 5).join(', ')}${total > 5 ? ` and ${total - Math.min(5, names.length)} more` : ''}`,
    more,
  );
}

/**
 * Nest's pipe validates `null` as `{}` and a number or a string as an object without fields, so a
 * DTO whose fields are all optional would take `null`, `42` or `"text"` for a body and the route
 * would run on defaults. A body that is sent must be a JSON object; an absent body is still `{}`.
 *
 * Keys the DTO does not declare are refused before class-transformer copies the body: that costs
 * one look at each key, where the transform and the validation of thousands of unknown keys held
 * the event loop for seconds.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto =
      typeof metadata.metatype === 'function' && !([Object, String, Number, Boolean, Array] as unknown[]).includes(metadata.metatype);
    const isBody = isDto && metadata.type === 'body' && metadata.data === undefined;
    if (isBody && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedError({ body: ['must be a JSON object'] }, 'The request body must be a JSON object');
    }
    if (
      isDto &&
      (metadata.type === 'body' || metadata.type === 'query') &&
      metadata.data === undefined &&
      value !== null &&
      typeof value === 'object'
    ) {
      const known = knownFieldsOf(metadata.metatype as new (...args: unknown[]) => unknown);
      const unknown: Record<string, string[]> = {};
      let count = 0;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key) || known.has(key)) continue;
        if (++count <= MAX_LISTED_PROBLEMS) unknown[key] = ['is not a known field'];
      }
      if (count > 0) throw validationFailed(unknown, count);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldErrors(errors)),
  });
}
