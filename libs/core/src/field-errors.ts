import type { ValidationError } from 'class-validator';

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
