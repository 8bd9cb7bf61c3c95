import { Injectable } from '@nestjs/common';
import { createEvents, EventAttributes } from 'ics';
import { createHash, randomBytes } from 'node:crypto';
import { Actor } from '@app/auth';
import { AppError, NotFoundError } from '@app/core';
import { EventRow, EventsRepository } from './events.repository';
import { pick } from './templates/render';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** iCalendar files: one per event, and each member's private feed of the events they are going to. */
@Injectable()
export class CalendarService {
  constructor(private readonly repository: EventsRepository) {}

  ics(events: EventRow[], language: string, name: string): string {
    const items: EventAttributes[] = events.map((e) => ({
      uid: `${e.id}@porchlight`,
      start: new Date(e.startsAt).getTime(),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: new Date(e.endsAt).getTime(),
      endInputType: 'utc',
      endOutputType: 'utc',
      title: pick(e.title, language),
      description: pick(e.description, language) || undefined,
      location: e.address,
      ...(e.location ? { geo: { lat: e.location.lat, lon: e.location.lon } } : {}),
      status: e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      lastModified: new Date(e.updatedAt).getTime(),
      productId: 'porchlight',
      calName: name,
    }));
    if (items.length === 0) return emptyCalendar(name);
    const { error, value } = createEvents(items, { productId: 'porchlight', calName: name });
    if (error || !value) throw new AppError('INTERNAL', `The calendar could not be written: ${error?.message ?? 'no output'}`);
    return value;
  }

  /** Makes (or replaces) the member's feed link; the old link stops working. */
  async rotateFeed(actor: Actor, publicUrl: string): Promise<{ url: string }> {
    const token = randomBytes(24).toString('base64url');
    await this.repository.saveFeed(actor.organizationId, actor.userId, sha256(token));
    return { url: `${publicUrl}/public/calendar/${token}.ics` };
  }

  async feed(token: string): Promise<string> {
    const owner = await this.repository.feed(sha256(token));
    if (!owner) throw new NotFoundError('Calendar');
    const events = await this.repository.memberEvents(owner.organizationId, owner.userId);
    return this.ics(events, 'en', 'Porchlight');
  }
}

function emptyCalendar(name: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:porchlight', `X-WR-CALNAME:${name}`, 'END:VCALENDAR', ''].join('\r\n');
}
