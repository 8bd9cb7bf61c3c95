import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appConfig, AppConfig, ConfigModule, parseEnvironment } from '@app/config';
import { DatabaseModule } from '@app/database';
import { CanvassingModule, MaterialService } from '@app/canvassing';
import { EventsModule, EventsService } from '@app/events';
import { DateTime } from 'luxon';
import { Actor } from '@app/auth';
import { generateNeighbourhood } from '@app/geo';
import { DemoDataService, DemoPerson, OrganizationsModule } from '@app/organizations';
import {
  AddressImportService,
  CampaignService,
  DEFAULT_MINUTES_PER_DOOR,
  DEFAULT_WALKING_SPEED_KMH,
  ImportRunner,
  TurfModule,
  TurfService,
} from '@app/turf';

@Module({ imports: [ConfigModule, DatabaseModule, OrganizationsModule, TurfModule, CanvassingModule, EventsModule] })
class SeedModule {}

/** Where the demo group works (Atlanta). */
export const DEMO_TIME_ZONE = 'America/New_York';

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

export const DEMO_CAMPAIGN = 'Demo: know your rights, street grid';

export interface DemoNeighbourhood {
  campaignId: string;
  doors: number;
  turfs: number;
}

/**
 * A campaign over a seeded street grid (no file needed), loaded through the same import as an
 * organizer's upload, cut into turfs of about 50 doors; the first route goes to the two demo
 * volunteers.
 */
export async function seedDemoNeighbourhood(
  app: INestApplicationContext,
  actor: Actor,
  volunteerIds: string[],
): Promise<DemoNeighbourhood> {
  const campaign = await app.get(CampaignService).create(actor, {
    name: DEMO_CAMPAIGN,
    description: 'A synthetic neighbourhood generated for trying Porchlight: houses and a few apartment buildings.',
    // The demo group is in Atlanta: its dashboards count days and hours there, not in UTC.
    timeZone: DEMO_TIME_ZONE,
  });
  const rows = generateNeighbourhood({ seed: 2026 });
  const csv = ['LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE,ID']
    .concat(rows.map((r) => [r.lon, r.lat, r.number, r.street, r.unit ?? '', r.city, r.postcode, r.id].join(',')))
    .join('\n');
  const upload = await app
    .get(AddressImportService)
    .start(actor, campaign.id, { fileName: 'demo-neighbourhood.csv', format: 'csv', content: Buffer.from(csv) });
  // Loaded here and now, so the demo is complete before the worker starts; the queued job then finds it done.
  const outcome = await app.get(ImportRunner).run(upload.id);
  const doors = outcome.status === 'completed' ? outcome.rowsImported : 0;
  // Planned in this process (the worker is not running yet), through the worker's own code path.
  const turfs = app.get(TurfService);
  const plan = await turfs.plan({
    organizationId: actor.organizationId,
    campaignId: campaign.id,
    requestedByUserId: actor.userId,
    doorsPerTurf: 50,
    walkingSpeedKmh: DEFAULT_WALKING_SPEED_KMH,
    minutesPerDoor: DEFAULT_MINUTES_PER_DOOR,
    save: true,
    replace: false,
    area: null,
    drawn: false,
  });
  const first = plan.ok ? plan.result.turfs[0]?.id : undefined;
  if (first && volunteerIds.length > 0) await turfs.assign(actor, first, volunteerIds.slice(0, 2), 7);
  return { campaignId: campaign.id, doors, turfs: plan.ok ? plan.result.turfs.length : 0 };
}

/**
 * What the demo campaign hands out (know-your-rights cards in Spanish and English, a hotline
 * card), and the Monday action at the ICE office, next Monday at 17:00 in New York, with both
 * demo volunteers going.
 */
export async function seedDemoActivity(
  app: INestApplicationContext,
  actor: Actor,
  campaignId: string,
  people: { actor: Actor }[],
): Promise<{ materials: number; eventId: string }> {
  const materials = app.get(MaterialService);
  const ids = [
    // A name in each language of the app: a volunteer reading Spanish sees Spanish names.
    (
      await materials.create(actor, {
        names: { en: 'Know your rights card (Spanish)', es: 'Tarjeta conozca sus derechos (español)' },
        kind: 'kyr_card',
        language: 'es',
        stock: 500,
      })
    ).id,
    (
      await materials.create(actor, {
        names: { en: 'Know your rights card (English)', es: 'Tarjeta conozca sus derechos (inglés)' },
        kind: 'kyr_card',
        language: 'en',
        stock: 300,
      })
    ).id,
    (
      await materials.create(actor, {
        names: { en: 'Rapid response hotline card (Spanish)', es: 'Tarjeta de la línea de respuesta rápida (español)' },
        kind: 'hotline_card',
        language: 'es',
        stock: 500,
      })
    ).id,
  ];
  await materials.setForCampaign(actor, campaignId, ids);
  const monday = DateTime.now()
    .setZone(DEMO_TIME_ZONE)
    .plus({ weeks: 1 })
    .set({ weekday: 1, hour: 17, minute: 0, second: 0, millisecond: 0 });
  const events = app.get(EventsService);
  const event = await events.create(actor, {
    title: { en: 'Monday demonstration at the ICE office', es: 'Manifestación del lunes en la oficina de ICE' },
    description: { en: 'Bring water and your red card.', es: 'Traiga agua y su tarjeta roja.' },
    kind: 'action',
    address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
    location: { lon: -84.3923, lat: 33.7512 },
    startsAt: monday.toISO()!,
    endsAt: monday.plus({ hours: 2 }).toISO()!,
    timeZone: DEMO_TIME_ZONE,
    visibility: 'public',
  });
  for (const p of people) await events.respond(p.actor, event.id, 'going');
  return { materials: ids.length, eventId: event.id };
}

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
      const { organization, members } = await demo.createOrganization(DEMO_ORGANIZATION, DEMO_PEOPLE);
      console.log(`Created the demo organization "${DEMO_ORGANIZATION}".`);
      const organizer = members.find((m) => m.role === 'organizer')!;
      const actor: Actor = { ...organizer, organizationId: organization.id, role: 'organizer', sessionId: 'seed' };
      const volunteers = members.filter((m) => m.role === 'volunteer').map((m) => m.userId);
      const demoArea = await seedDemoNeighbourhood(app, actor, volunteers);
      console.log(
        `Created the campaign "${DEMO_CAMPAIGN}": a synthetic neighbourhood of ${demoArea.doors} doors in ${demoArea.turfs} turfs; ` +
          'the first route is handed to the two demo volunteers.',
      );
      const volunteerActors = members
        .filter((m) => m.role === 'volunteer')
        .map((m) => ({ actor: { ...m, organizationId: organization.id, role: 'volunteer' as const, sessionId: 'seed' } }));
      await seedDemoActivity(app, actor, demoArea.campaignId, volunteerActors);
      console.log('Added its materials, and the Monday action next week with both demo volunteers going.');
    } else if (!(await demo.hasAccount(DEMO_PEOPLE[0].email))) {
      console.log('The database already has organizations of its own; no demo organization was added.');
      return;
    }
    console.log(`\nDemo logins (sign in at ${publicUrl}, or POST ${publicUrl}/auth/login):`);
    for (const p of DEMO_PEOPLE) console.log(`  ${p.role.padEnd(12)} ${p.email.padEnd(32)} ${p.password}`);
  } finally {
    await app.close();
  }
}
