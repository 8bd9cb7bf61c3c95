import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@app/core';
import { QueueModule } from '@app/queue';
import { CalendarService } from './calendar.service';
import { Channels } from './channels/channels';
import { EVENTS_ENTITIES } from './entities/event.entity';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { RemindersService } from './reminders.service';
import { SupporterRetentionRepository } from './retention/supporter-retention.repository';
import { SupporterRetentionService } from './retention/supporter-retention.service';
import { TemplatesService } from './templates.service';

@Module({
  imports: [TypeOrmModule.forFeature(EVENTS_ENTITIES), QueueModule],
  providers: [
    EventsRepository,
    EventsService,
    RemindersService,
    CalendarService,
    TemplatesService,
    Channels,
    Clock,
    SupporterRetentionRepository,
    SupporterRetentionService,
  ],
  exports: [EventsService, RemindersService, CalendarService, TemplatesService, SupporterRetentionService],
})
export class EventsModule {}
