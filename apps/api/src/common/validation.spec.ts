import { ValidationError } from '@nestjs/common';
import { fieldErrors } from './validation';

describe('fieldErrors', () => {
  it('keys messages by field path, nested ones with dots, and names unknown fields', () => {
    const child: ValidationError = { property: 'quantity', constraints: { min: 'quantity must not be less than 1' }, children: [] };
    const errors: ValidationError[] = [
      { property: 'email', constraints: { isEmail: 'email must be an email' }, children: [] },
      { property: 'items', children: [{ property: '0', children: [child] }] },
      { property: 'isAdmin', constraints: { whitelistValidation: 'property isAdmin should not exist' }, children: [] },
    ];
    expect(fieldErrors(errors)).toEqual({
      email: ['must be an email'],
      'items.0.quantity': ['must not be less than 1'],
      isAdmin: ['is not a known field'],
    });
  });
});
