import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PasswordReset } from '../entities';
import { TransactionalRepository } from './base';

@Injectable()
export class PasswordResetRepository extends TransactionalRepository<PasswordReset> {
  constructor(dataSource: DataSource) {
    super(dataSource, PasswordReset);
  }

  /** Stores a new link for the account and forgets its links not yet used: only the newest works. */
  async replaceForUser(reset: Pick<PasswordReset, 'userId' | 'tokenHash' | 'expiresAt'>, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL`, [reset.userId]);
    await this.repo(manager).insert(reset);
  }

  findByTokenHash(tokenHash: string): Promise<PasswordReset | null> {
    return this.repo().findOneBy({ tokenHash });
  }

  /** Finds a link by its token's hash and locks it, so that two uses of one link are decided one after the other. */
  findByTokenHashForUpdate(tokenHash: string, manager: EntityManager): Promise<PasswordReset | null> {
    return this.repo(manager)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markUsed(id: string, at: Date, manager: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { usedAt: at });
  }

  /** Links of an account not yet used, ended by a password change: an older link must not undo it. */
  async discardUnusedForUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }

  /** Deletes links that expired before the cutoff, used or not. */
  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const result = await this.repo().createQueryBuilder().delete().from(PasswordReset).where('expires_at < :cutoff', { cutoff }).execute();
    return result.affected ?? 0;
  }
}
