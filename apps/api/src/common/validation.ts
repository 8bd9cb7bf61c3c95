import { ValidationPipe } from '@nestjs/common';
import { fieldErrors, ValidationFailedError } from '@app/core';

export { fieldErrors };

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
