import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../entities';
import { TransactionalRepository } from './base';

@Injectable()
export class UserRepository extends TransactionalRepository<User> {
  constructor(dataSource: DataSource) {
    super(dataSource, User);
  }

  /** `email` is citext, so the match ignores case. Plain SQL: every login starts here. */
  async findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    const rows = await (manager ?? this.dataSource.manager).query<User[]>(
      `SELECT id, email, password_hash AS "passwordHash", display_name AS "displayName", language, phone,
              created_at AS "createdAt", updated_at AS "updatedAt"
         FROM users WHERE email = $1`,
      [email],
    );
    return rows[0] ?? null;
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ id });
  }

  async create(user: Pick<User, 'email' | 'passwordHash' | 'displayName' | 'language' | 'phone'>, manager?: EntityManager): Promise<User> {
    return this.repo(manager).save(this.repo(manager).create(user));
  }

  async updateProfile(id: string, changes: Partial<Pick<User, 'displayName' | 'language' | 'phone'>>): Promise<void> {
    await this.repo().update({ id }, changes);
  }

  async updatePasswordHash(id: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { passwordHash });
  }
}
