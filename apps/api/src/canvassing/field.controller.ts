import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import {
  DoorStatusDto,
  FieldService,
  FollowUpPageDto,
  FollowUpQueryDto,
  FollowUpResponseDto,
  MaterialCountDto,
  PaperVisitsDto,
  PaperVisitsResultDto,
  PaperVisitsService,
  ReviewVisitDto,
  ShiftPageDto,
  ShiftQueryDto,
  toDoorStatus,
  toFollowUpResponse,
  toShiftResponse,
  toVisitResponse,
  VisitPageDto,
  VisitQueryDto,
  VisitResponseDto,
} from '@app/canvassing';
import { CoverageService } from '@app/coverage';
import { AuthService, DoorLevelExportDto } from '@app/organizations';
import { ApiDoc } from '../common/api-docs';

@ApiTags('field')
@Controller()
export class FieldController {
  constructor(
    private readonly field: FieldService,
    private readonly paper: PaperVisitsService,
    private readonly coverage: CoverageService,
    private readonly auth: AuthService,
  ) {}

  @Get('campaigns/:id/shifts')
  @Roles('organizer', 'coordinator')
  @ApiDoc("The campaign's shifts, latest first; ?open=true for who is out now", [400, 404])
  @ApiOkResponse({ type: ShiftPageDto })
  async shifts(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() query: ShiftQueryDto,
  ): Promise<ShiftPageDto> {
    const page = await this.field.shifts(actor, campaignId, query);
    return { ...page, items: page.items.map(toShiftResponse) };
  }

  @Get('campaigns/:id/material-counts')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Each material: taken out, brought back, left at doors, and in volunteers’ hands now', [400, 404])
  @ApiOkResponse({ type: [MaterialCountDto] })
  materialCounts(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) campaignId: string): Promise<MaterialCountDto[]> {
    return this.field.materialCounts(actor, campaignId);
  }

  @Get('campaigns/:id/follow-ups')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Households that asked for legal follow-up (the door only), oldest first', [400, 404])
  @ApiOkResponse({ type: FollowUpPageDto })
  async followUps(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() query: FollowUpQueryDto,
  ): Promise<FollowUpPageDto> {
    const page = await this.field.followUps(actor, campaignId, query);
    return { ...page, items: page.items.map(toFollowUpResponse) };
  }

  @Post('campaigns/:id/follow-ups.csv')
  @HttpCode(200)
  @Roles('organizer')
  // Counted like logins (per account and per address), so the password cannot be guessed here either.
  @UseGuards(ThrottlerGuard)
  @ApiProduces('text/csv')
  @ApiDoc(
    'Every follow-up with its address, as CSV. Door-level data: organizers only, with their password again and a reason, audited',
    [400, 403, 404, 429],
  )
  async followUpsCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Body() dto: DoorLevelExportDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.auth.confirmPassword(actor, dto.password);
    const csv = await this.field.followUpsCsv(actor, campaignId, dto.reason);
    void reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="follow-ups-${campaignId}.csv"`);
    return csv;
  }

  @Post('follow-ups/:id/close')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Close a follow-up (closing it again changes nothing)', [400, 404])
  @ApiOkResponse({ type: FollowUpResponseDto })
  async closeFollowUp(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<FollowUpResponseDto> {
    const closed = await this.field.closeFollowUp(actor, id);
    await this.coverage.touched(closed.campaignId);
    return toFollowUpResponse(closed);
  }

  @Get('campaigns/:id/visits')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Visits, latest first; filter quarantined ones, or those whose phone clock is doubted. Notes go to organizers only', [400, 404])
  @ApiOkResponse({ type: VisitPageDto })
  async visits(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() query: VisitQueryDto,
  ): Promise<VisitPageDto> {
    const page = await this.field.visits(actor, campaignId, query);
    return { ...page, items: page.items.map((v) => toVisitResponse(v, actor.role === 'organizer')) };
  }

  @Post('visits/:id/review')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Accept or discard a quarantined visit', [400, 404, 409])
  @ApiOkResponse({ type: VisitResponseDto })
  async review(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReviewVisitDto,
  ): Promise<VisitResponseDto> {
    const visit = await this.field.review(actor, id, dto.decision);
    this.coverage.changed();
    return toVisitResponse(visit, actor.role === 'organizer');
  }

  @Post('turfs/:id/paper-visits')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc(
    'Type in a paper walk list brought back from the field: one entry per door visited, the visits being those of the member who walked it',
    [400, 404, 409],
    'A sheet is stored whole or not at all: every line that does not fit (a door not on this route, the same door twice, an ' +
      'unknown material) is named in `fields` and nothing is stored. The same `sheetId` sent again stores nothing twice and ' +
      'answers how many of its visits were already stored.',
  )
  @ApiOkResponse({ type: PaperVisitsResultDto })
  async paperVisits(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) turfId: string,
    @Body() dto: PaperVisitsDto,
  ): Promise<PaperVisitsResultDto> {
    const answer = await this.paper.record(actor, turfId, dto);
    if (answer.created > 0) this.coverage.changed();
    return answer;
  }

  @Get('turfs/:id/door-status')
  @AnyMember()
  @ApiDoc("Each door of the route in order with its status (its latest visit's outcome); volunteers see their own routes", [400, 404])
  @ApiOkResponse({ type: [DoorStatusDto] })
  async doorStatus(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) turfId: string): Promise<DoorStatusDto[]> {
    return (await this.field.doorStatus(actor, turfId)).map(toDoorStatus);
  }
}
