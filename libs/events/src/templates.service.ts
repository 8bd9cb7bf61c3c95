import { Injectable } from '@nestjs/common';
import Mustache from 'mustache';
import { Actor } from '@app/auth';
import { AppError } from '@app/core';
import { Channel, ReminderKind } from './entities/event.entity';
import { EventsRepository } from './events.repository';
import { DEFAULT_TEMPLATES } from './templates/default-templates';

const PLACEHOLDERS = new Set(['name', 'title', 'when', 'place', 'calendarUrl', 'cancelUrl', 'organization']);

export interface TemplateView {
  kind: ReminderKind;
  channel: Channel;
  language: string;
  subject: string | null;
  body: string;
  custom: boolean;
}

/** The messages in each language: Porchlight's wording unless the organization wrote its own. */
@Injectable()
export class TemplatesService {
  constructor(private readonly repository: EventsRepository) {}

  async list(actor: Actor): Promise<TemplateView[]> {
    const own = await this.repository.templates(actor.organizationId);
    const views: TemplateView[] = [];
    for (const [language, kinds] of Object.entries(DEFAULT_TEMPLATES)) {
      for (const [kind, channels] of Object.entries(kinds)) {
        for (const [channel, template] of Object.entries(channels)) {
          const custom = own.find((t) => t.kind === kind && t.channel === channel && t.language === language);
          views.push({
            kind: kind as ReminderKind,
            channel: channel as Channel,
            language,
            subject: custom ? custom.subject : template.subject,
            body: custom ? custom.body : template.body,
            custom: Boolean(custom),
          });
        }
      }
    }
    return views;
  }

  async save(
    actor: Actor,
    kind: ReminderKind,
    channel: Channel,
    language: string,
    subject: string | null,
    body: string,
  ): Promise<TemplateView[]> {
    assertLanguage(language);
    for (const [field, text] of [
      ['subject', subject ?? ''],
      ['body', body],
    ] as const) {
      const unknown = placeholders(text, field).filter((p) => !PLACEHOLDERS.has(p));
      if (unknown.length > 0) {
        throw new AppError('VALIDATION_FAILED', `Unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(', ')}`, {
          fields: { [field]: [`may use only ${[...PLACEHOLDERS].map((p) => `{{${p}}}`).join(' ')}`] },
        });
      }
    }
    await this.repository.saveTemplate(actor.organizationId, kind, channel, language, channel === 'email' ? (subject ?? '') : null, body);
    return this.list(actor);
  }

  async reset(actor: Actor, kind: ReminderKind, channel: Channel, language: string): Promise<TemplateView[]> {
    assertLanguage(language);
    await this.repository.deleteTemplate(actor.organizationId, kind, channel, language);
    return this.list(actor);
  }
}

function assertLanguage(language: string): void {
  if (!Object.hasOwn(DEFAULT_TEMPLATES, language)) {
    throw new AppError('VALIDATION_FAILED', `Messages are written in ${Object.keys(DEFAULT_TEMPLATES).join(' and ')}`, {
      fields: { language: [`must be one of ${Object.keys(DEFAULT_TEMPLATES).join(', ')}`] },
    });
  }
}

function placeholders(text: string, field: string): string[] {
  try {
    return (Mustache.parse(text) as unknown[][]).filter((t) => t[0] !== 'text').map((t) => String(t[1]));
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `The ${field} cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
      fields: { [field]: ['has an unclosed or broken {{placeholder}}'] },
    });
  }
}
