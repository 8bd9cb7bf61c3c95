import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import { appConfig, AppConfig } from '@app/config';
import { PageQueryDto } from '@app/core';
import {
  CalendarService,
  CHANNELS,
  Channel,
  CreateEventDto,
  EventPageDto,
  EventQueryDto,
  EventResponseDto,
  EventsService,
  MessageChannelsDto,
  REMINDER_KINDS,
  ReminderKind,
  ReminderPageDto,
  ReminderQueryDto,
  ReminderRuleDto,
  RsvpDto,
  RsvpPageDto,
  RsvpResponseDto,
  ScheduleDto,
  TemplateDto,
  TemplatesService,
  toReminderResponse,
  toRsvpResponse,
  UpdateEventDto,
} from '@app/events';
import { AppError } from '@app/core';
import { ApiDoc } from '../common/api-docs';

const kindParam = (kind: string): ReminderKind => {
  if (!(REMINDER_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('VALIDATION_FAILED', 'Unknown message kind', { fields: { kind: [`must be one of ${REMINDER_KINDS.join(', ')}`] } });
  }
  return kind as ReminderKind;
};
const channelParam = (channel: string): Channel => {
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    throw new AppError('VALIDATION_FAILED', 'Unknown channel', { fields: { channel: [`must be one of ${CHANNELS.join(', ')}`] } });
  }
  return channel as Channel;
};

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly calendars: CalendarService,
    private readonly templates: TemplatesService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Post('events')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Create an event (an action, a training, a canvass shift, a meeting), in its IANA time zone', [400])
  @ApiCreatedResponse({ type: EventResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateEventDto): Promise<EventResponseDto> {
    return this.events.toResponse(await this.events.create(actor, dto));
  }

  @Get('events')
  @AnyMember()
  @ApiDoc("The organization's events, soonest first (?past=true to include those that ended)", [400])
  @ApiOkResponse({ type: EventPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: EventQueryDto): Promise<EventPageDto> {
    const page = await this.events.list(actor, query.past ?? false, query);
    const mine = await this.events.myRsvps(
      actor,
      page.items.map((e) => e.id),
    );
    return { ...page, items: page.items.map((e) => this.events.toResponse(e, mine.get(e.id) ?? null)) };
  }

  @Get('events/:id')
  @AnyMember()
  @ApiDoc('An event', [400, 404])
  @ApiOkResponse({ type: EventResponseDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EventResponseDto> {
    const event = await this.events.get(actor, id);
    return this.events.toResponse(event, (await this.events.myRsvps(actor, [id])).get(id) ?? null);
  }

  @Patch('events/:id')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Change an event; a new time or place is recorded, announced to everyone registered, and moves their reminders', [400, 404, 409])
  @ApiOkResponse({ type: EventResponseDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateEventDto,
  ): Promise<EventResponseDto> {
    return this.events.toResponse(await this.events.update(actor, id, dto));
  }

  @Post('events/:id/cancel')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Cancel an event: everyone registered gets a cancellation notice and nothing more', [400, 404])
  @ApiOkResponse({ type: EventResponseDto })
  async cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<EventResponseDto> {
    return this.events.toResponse(await this.events.cancel(actor, id));
  }

  @Get('events/:id/changes')
  @Roles('organizer', 'coordinator')
  @ApiDoc("Every change of the event's time or place", [400, 404])
  async changes(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.events.changes(actor, id);
  }

  @Put('events/:id/rsvp')
  @AnyMember()
  @ApiDoc('Answer for yourself: going, maybe or not going (a full event puts you on the waiting list)', [400, 404, 409])
  @ApiOkResponse({ type: RsvpResponseDto })
  async rsvp(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RsvpDto): Promise<RsvpResponseDto> {
    return toRsvpResponse(await this.events.respond(actor, id, dto.response), true);
  }

  @Get('events/:id/rsvps')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Who answered, with the status of their reminders', [400, 404])
  @ApiOkResponse({ type: RsvpPageDto })
  async rsvps(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() page: PageQueryDto): Promise<RsvpPageDto> {
    const result = await this.events.rsvps(actor, id, page);
    return { ...result, items: result.items.map((r) => toRsvpResponse(r, true)) };
  }

  @Get('events/:id/reminders')
  @Roles('organizer', 'coordinator')
  @ApiDoc(
    "Each reminder and notice, with its delivery status (queued, sent, failed or skipped, with the reason); ?rsvpId= for one person's",
    [400, 404],
  )
  @ApiOkResponse({ type: ReminderPageDto })
  async reminders(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ReminderQueryDto,
  ): Promise<ReminderPageDto> {
    const result = await this.events.reminderStatus(actor, id, query.rsvpId ?? null, query);
    return { ...result, items: result.items.map(toReminderResponse) };
  }

  @Get('events/:id/calendar.ics')
  @AnyMember()
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiDoc('The event as an iCalendar file', [400, 404])
  async ics(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.calendars.ics([await this.events.get(actor, id)], 'en', 'Porchlight');
  }

  @Post('me/calendar-feed')
  @AnyMember()
  @ApiDoc('Make (or replace) your private calendar feed link of the events you answered going or maybe to')
  @ApiCreatedResponse({ schema: { properties: { url: { type: 'string' } } } })
  feed(@CurrentActor() actor: Actor): Promise<{ url: string }> {
    return this.calendars.rotateFeed(actor, this.app.publicUrl);
  }

  @Get('reminder-schedule')
  @Roles('organizer', 'coordinator')
  @ApiDoc("The organization's default reminder schedule for new events")
  @ApiOkResponse({ type: [ReminderRuleDto] })
  schedule(@CurrentActor() actor: Actor) {
    return this.events.defaultSchedule(actor);
  }

  @Put('reminder-schedule')
  @Roles('organizer')
  @ApiDoc("Change the organization's default reminder schedule (events keep their own)", [400])
  @ApiOkResponse({ type: [ReminderRuleDto] })
  setSchedule(@CurrentActor() actor: Actor, @Body() dto: ScheduleDto) {
    return this.events.setDefaultSchedule(actor, dto.reminderSchedule);
  }

  @Get('message-channels')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Which channels this server can send reminders on: a channel that is not set up (no SMTP, no SMS provider) sends nothing')
  @ApiOkResponse({ type: MessageChannelsDto })
  messageChannels(): MessageChannelsDto {
    return this.events.messageChannels();
  }

  @Get('message-templates')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Every message in every language: the organization’s wording where it wrote one, Porchlight’s otherwise')
  templatesList(@CurrentActor() actor: Actor) {
    return this.templates.list(actor);
  }

  @Put('message-templates/:kind/:channel/:language')
  @Roles('organizer')
  @ApiDoc('Reword a message (placeholders: {{name}} {{title}} {{when}} {{place}} {{calendarUrl}} {{cancelUrl}} {{organization}})', [400])
  saveTemplate(
    @CurrentActor() actor: Actor,
    @Param('kind') kind: string,
    @Param('channel') channel: string,
    @Param('language') language: string,
    @Body() dto: TemplateDto,
  ) {
    return this.templates.save(actor, kindParam(kind), channelParam(channel), language, dto.subject ?? null, dto.body);
  }

  @Delete('message-templates/:kind/:channel/:language')
  @Roles('organizer')
  @ApiDoc('Go back to Porchlight’s wording of a message', [400])
  resetTemplate(
    @CurrentActor() actor: Actor,
    @Param('kind') kind: string,
    @Param('channel') channel: string,
    @Param('language') language: string,
  ) {
    return this.templates.reset(actor, kindParam(kind), channelParam(channel), language);
  }
}
