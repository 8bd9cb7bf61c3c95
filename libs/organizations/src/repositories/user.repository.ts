import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../entities';
import { TransactionalRepository } from './base';

@Injectable()
export class UserRepository extends TransactionalRepository<User> {
  constructor(dataSource: DataSource) {
    super(dataSource, User);
  }

  /** `email` is citext, so the match ignores case. */
  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ email });
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

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.repo().update({ id }, { passwordHash });
  }
}
