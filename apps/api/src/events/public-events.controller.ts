import { Body, Controller, Get, Header, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@app/auth';
import { NotFoundError } from '@app/core';
import { CalendarService, EventsService, PublicSignupDto, PublicSignupResponseDto } from '@app/events';
import { PublicRateLimitGuard } from '../auth/rate-limits';
import { ApiDoc } from '../common/api-docs';

/** What people without an account reach through links: a public event's signup, and their own RSVP. */
@ApiTags('public')
@Controller('public')
export class PublicEventsController {
  constructor(
    private readonly events: EventsService,
    private readonly calendars: CalendarService,
  ) {}

  @Get('events/:token')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @ApiDoc("A public event's page: what, when, where, and whether places are left", [404, 429])
  async event(@Param('token') token: string) {
    const e = await this.events.publicEvent(token);
    const { id, title, description, kind, address, location, startsAt, endsAt, timeZone, localStartsAt, status, capacity, confirmed } =
      this.events.toResponse(e);
    return {
      id,
      title,
      description,
      kind,
      address,
      location,
      startsAt,
      endsAt,
      timeZone,
      localStartsAt,
      status,
      placesLeft: capacity === null ? null : Math.max(0, capacity - confirmed),
    };
  }

  @Post('events/:token/rsvps')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  @ApiDoc(
    'Sign up for a public event, with consent to be contacted about it. The answer is the same whether or not the person was already signed up; the confirmation and its link go by e-mail or SMS',
    [400, 404, 429],
  )
  @ApiAcceptedResponse({ type: PublicSignupResponseDto })
  signup(@Param('token') token: string, @Body() dto: PublicSignupDto): Promise<PublicSignupResponseDto> {
    return this.events.signup(token, dto);
  }

  @Get('rsvps/:id/:token')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @ApiDoc('The RSVP a message’s link points at, with its event', [404, 429])
  async rsvp(@Param('id') id: string, @Param('token') token: string) {
    const { rsvp, event } = await this.events.byLink(id, token);
    return { id: rsvp.id, status: rsvp.status, response: rsvp.response, event: this.events.toResponse(event) };
  }

  @Post('rsvps/:id/:token/cancel')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @HttpCode(200)
  @ApiDoc('Cancel through the link in any message; cancelling again changes nothing', [404, 429])
  @ApiOkResponse({ schema: { properties: { id: { type: 'string' }, status: { type: 'string' } } } })
  async cancel(@Param('id') id: string, @Param('token') token: string) {
    const rsvp = await this.events.cancelByLink(id, token);
    return { id: rsvp.id, status: rsvp.status };
  }

  @Get('rsvps/:id/:token/calendar.ics')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiDoc('The event as an iCalendar file, for the person the link belongs to', [404, 429])
  async rsvpIcs(@Param('id') id: string, @Param('token') token: string): Promise<string> {
    const { rsvp, event } = await this.events.byLink(id, token);
    return this.calendars.ics([event], rsvp.language ?? 'en', 'Porchlight');
  }

  @Get('calendar/:file')
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @ApiDoc("A member's private calendar feed (the link from POST /me/calendar-feed)", [404, 429])
  feed(@Param('file') file: string): Promise<string> {
    if (!file.endsWith('.ics')) throw new NotFoundError('Calendar');
    return this.calendars.feed(file.slice(0, -4));
  }
}
