import { ValidationError } from '@nestjs/common';
import { IsString } from 'class-validator';
import { ValidationFailedError } from '@app/core';
import { createValidationPipe, fieldErrors, MAX_LISTED_PROBLEMS } from './validation';

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

class TokenDto {
  @IsString()
  refreshToken: string;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: TokenDto, data: undefined };

  it('refuses unknown keys before the transform, at once, naming the first few and counting the rest', async () => {
    const value: Record<string, unknown> = { refreshToken: 'x' };
    for (let i = 0; i < 90_000; i++) value[`k${i}`] = 1;
    const started = Date.now();
    const error = (await pipe.transform(value, body).catch((e: unknown) => e)) as ValidationFailedError;
    expect(Date.now() - started).toBeLessThan(100);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(Object.keys(error.details!.fields as object)).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(error.details!.moreFields).toBe(90_000 - MAX_LISTED_PROBLEMS);
    expect(error.message).toBe('The request is not valid: k0, k1, k2, k3, k4 and 89995 more');
    expect(JSON.stringify(error.details).length).toBeLessThan(1000);
  });

  it('still takes a body with known keys only, and names bad fields', async () => {
    await expect(pipe.transform({ refreshToken: 'x' }, body)).resolves.toEqual({ refreshToken: 'x' });
    const error = (await pipe.transform({ refreshToken: 1 }, body).catch((e: unknown) => e)) as ValidationFailedError;
    expect(error.details).toEqual({ fields: { refreshToken: ['must be a string'] } });
  });
});
