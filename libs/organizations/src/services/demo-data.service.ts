import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '@app/auth';
import { Language, Organization } from '../entities';
import { MembershipRepository } from '../repositories/membership.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { UserRepository } from '../repositories/user.repository';
import { PasswordService } from './password.service';

export interface DemoPerson {
  email: string;
  password: string;
  displayName: string;
  language: Language;
  role: Role;
}

export interface DemoMember {
  userId: string;
  membershipId: string;
  role: Role;
}

/** Creates the demo organization of a fresh install, so the product can be tried without any file. */
@Injectable()
export class DemoDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly passwords: PasswordService,
  ) {}

  async hasAnyOrganization(): Promise<boolean> {
    return (await this.dataSource.query<unknown[]>('SELECT 1 FROM organizations LIMIT 1')).length > 0;
  }

  async hasAccount(email: string): Promise<boolean> {
    return (await this.users.findByEmail(email)) !== null;
  }

  async createOrganization(name: string, people: DemoPerson[]): Promise<{ organization: Organization; members: DemoMember[] }> {
    const hashes = await Promise.all(people.map((p) => this.passwords.hash(p.password)));
    return this.dataSource.transaction(async (manager) => {
      const organization = await this.organizations.create(name, manager);
      const members: DemoMember[] = [];
      for (const [i, p] of people.entries()) {
        const user = await this.users.create(
          { email: p.email, passwordHash: hashes[i], displayName: p.displayName, language: p.language, phone: null },
          manager,
        );
        const membership = await this.memberships.create({ organizationId: organization.id, userId: user.id, role: p.role }, manager);
        members.push({ userId: user.id, membershipId: membership.id, role: p.role });
      }
      return { organization, members };
    });
  }
}
