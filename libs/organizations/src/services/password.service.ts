import { Inject, Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import * as argon2 from 'argon2';
import { authConfig, AuthConfig } from '@app/config';
import { AppError } from '@app/core';

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing it cannot be used to burn CPU. */
export const PASSWORD_MAX_LENGTH = 256;

/** The ~49,000 most common passwords (zxcvbn-ts), lower-cased. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

@Injectable()
export class PasswordService {
  private readonly options: argon2.HashOptions;
  private dummyHash?: Promise<string>;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    this.options = { type: argon2.argon2id, ...config.argon2 };
  }

  /** Throws WEAK_PASSWORD, keyed to the `password` field, when the password is not acceptable. */
  assertAcceptable(password: string, context: { email?: string } = {}): void {
    const problems: string[] = [];
    if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
    if (password.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
    const lower = password.toLowerCase();
    if (COMMON_PASSWORDS.has(lower)) problems.push('is one of the most common passwords; choose another');
    if (/^(.)\1*$/.test(password)) problems.push('must not repeat one character');
    const email = context.email?.toLowerCase();
    if (email && (lower === email || lower === email.split('@')[0])) problems.push('must not be your e-mail address');
    if (problems.length > 0) {
      throw new AppError('WEAK_PASSWORD', `The password ${problems.join('; ')}`, { fields: { password: problems } });
    }
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    if (password.length > PASSWORD_MAX_LENGTH) return false;
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the same time as a real check, so that an unknown e-mail cannot be told by timing. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('porchlight-timing-equaliser');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.options);
  }
}
