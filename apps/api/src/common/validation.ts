import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '@app/core';

/** Flattens class-validator's tree into `{ "items.0.quantity": ["must not be less than 1"] }`. */
export function fieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.entries(error.constraints).map(([name, message]) =>
        name === 'whitelistValidation' ? 'is not a known field' : message.replace(new RegExp(`^${error.property} `), ''),
      );
    }
    Object.assign(fields, fieldErrors(error.children ?? [], path));
  }
  return fields;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
