import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appConfig, AppConfig, ConfigModule, parseEnvironment } from '@app/config';
import { DatabaseModule } from '@app/database';
import { DemoDataService, DemoPerson, OrganizationsModule } from '@app/organizations';

@Module({ imports: [ConfigModule, DatabaseModule, OrganizationsModule] })
class SeedModule {}

/** Demo logins. Fixed so that every start can print them; the seed does nothing in production. */
export const DEMO_PEOPLE: DemoPerson[] = [
  {
    email: 'organizer@demo.example.org',
    password: 'porchlight-demo-organizer',
    displayName: 'Olivia Organizer',
    language: 'en',
    role: 'organizer',
  },
  {
    email: 'coordinator@demo.example.org',
    password: 'porchlight-demo-coordinator',
    displayName: 'Carmen Coordinadora',
    language: 'es',
    role: 'coordinator',
  },
  {
    email: 'volunteer1@demo.example.org',
    password: 'porchlight-demo-volunteer',
    displayName: 'Victor Volunteer',
    language: 'en',
    role: 'volunteer',
  },
  {
    email: 'volunteer2@demo.example.org',
    password: 'porchlight-demo-volunteer',
    displayName: 'Valeria Voluntaria',
    language: 'es',
    role: 'volunteer',
  },
];

export const DEMO_ORGANIZATION = 'Porchlight Demo (Reynoldstown Rapid Response)';

export async function runSeed(): Promise<void> {
  if (parseEnvironment().NODE_ENV === 'production') {
    console.log('NODE_ENV=production: the demo organization is not created.');
    return;
  }
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const demo = app.get(DemoDataService);
    const publicUrl = app.get<AppConfig>(appConfig.KEY).publicUrl;
    if (!(await demo.hasAnyOrganization())) {
      await demo.createOrganization(DEMO_ORGANIZATION, DEMO_PEOPLE);
      console.log(`Created the demo organization "${DEMO_ORGANIZATION}".`);
    } else if (!(await demo.hasAccount(DEMO_PEOPLE[0].email))) {
      console.log('The database already has organizations of its own; no demo organization was added.');
      return;
    }
    console.log(`\nDemo logins (POST ${publicUrl}/auth/login):`);
    for (const p of DEMO_PEOPLE) console.log(`  ${p.role.padEnd(12)} ${p.email.padEnd(32)} ${p.password}`);
  } finally {
    await app.close();
  }
}
