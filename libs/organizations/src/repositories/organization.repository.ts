import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Organization, OrganizationSettings } from '../entities';
import { TransactionalRepository } from './base';

@Injectable()
export class OrganizationRepository extends TransactionalRepository<Organization> {
  constructor(dataSource: DataSource) {
    super(dataSource, Organization);
  }

  async create(name: string, manager?: EntityManager): Promise<Organization> {
    return this.repo(manager).save(this.repo(manager).create({ name }));
  }

  findById(id: string): Promise<Organization | null> {
    return this.repo().findOneBy({ id });
  }

  async update(id: string, changes: Partial<OrganizationSettings>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }
}
