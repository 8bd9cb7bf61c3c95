import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { fieldErrors, ValidationFailedError } from '@app/core';

export { fieldErrors };

/**
 * Nest's pipe validates `null` as `{}` and a number or a string as an object without fields, so a
 * DTO whose fields are all optional would take `null`, `42` or `"text"` for a body and the route
 * would run on defaults. A body that is sent must be a JSON object; an absent body is still `{}`.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto =
      metadata.type === 'body' &&
      metadata.data === undefined &&
      typeof metadata.metatype === 'function' &&
      !([Object, String, Number, Boolean, Array] as unknown[]).includes(metadata.metatype);
    if (isDto && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedError({ body: ['must be a JSON object'] }, 'The request body must be a JSON object');
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
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      const names = Object.keys(fields);
      return new ValidationFailedError(
        fields,
        `The request is not valid: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
      );
    },
  });
}
