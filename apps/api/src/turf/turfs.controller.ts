import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import { appConfig, AppConfig } from '@app/config';
import { PageQueryDto } from '@app/core';
import {
  AssignRouteDto,
  ClaimRouteDto,
  MergeTurfsDto,
  MoveDoorsDto,
  RenameTurfDto,
  SplitTurfDto,
  ReorderRouteDto,
  CutResponseDto,
  CutTurfsDto,
  DrawTurfDto,
  RouteResponseDto,
  toCutResponse,
  toRouteResponse,
  toTurfResponse,
  TurfPageDto,
  TurfResponseDto,
  TurfService,
} from '@app/turf';
import { ClaimRateLimitGuard } from '../auth/rate-limits';
import { ApiDoc } from '../common/api-docs';

@ApiTags('turfs and routes')
@Controller()
export class TurfsController {
  constructor(
    private readonly turfs: TurfService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Post('campaigns/:id/turfs/cut')
  @HttpCode(200)
  @Roles('organizer')
  @ApiDoc(
    "Cut the campaign's free doors into balanced turfs of about N doors, each with a walking route; a preview unless save is true",
    [400, 404],
  )
  @ApiOkResponse({ type: CutResponseDto })
  async cut(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Body() dto: CutTurfsDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CutResponseDto> {
    const result = await this.turfs.cut(actor, campaignId, dto);
    if (result.saved) void reply.status(201);
    return toCutResponse(result);
  }

  @Post('campaigns/:id/turfs')
  @Roles('organizer')
  @ApiDoc(
    'Draw a turf: the free doors inside the polygon become one turf with its walking route; with takeFromTurfs, the doors other turfs hold there too',
    [400, 404, 409],
  )
  @ApiCreatedResponse({ type: CutResponseDto })
  async draw(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Body() dto: DrawTurfDto,
  ): Promise<CutResponseDto> {
    return toCutResponse(await this.turfs.draw(actor, campaignId, dto));
  }

  @Get('campaigns/:id/turfs')
  @Roles('organizer', 'coordinator')
  @ApiDoc("A campaign's turfs with their current assignment", [400, 404])
  @ApiOkResponse({ type: TurfPageDto })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() page: PageQueryDto,
  ): Promise<TurfPageDto> {
    const result = await this.turfs.list(actor, campaignId, page);
    return { ...result, items: result.items.map(toTurfResponse) };
  }

  @Get('me/routes')
  @AnyMember()
  @ApiDoc('The routes handed to you and still running', [400])
  @ApiOkResponse({ type: TurfPageDto })
  async mine(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<TurfPageDto> {
    const result = await this.turfs.mine(actor, page);
    return { ...result, items: result.items.map(toTurfResponse) };
  }

  @Get('turfs/:id')
  @AnyMember()
  @ApiDoc('A turf and its route, door by door in walking order (volunteers: only routes handed to them)', [400, 404])
  @ApiOkResponse({ type: RouteResponseDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<RouteResponseDto> {
    return toRouteResponse(await this.turfs.get(actor, id));
  }

  @Patch('turfs/:id')
  @Roles('organizer')
  @ApiDoc('Rename a turf (unique within its campaign)', [400, 404, 409])
  @ApiOkResponse({ type: TurfResponseDto })
  async rename(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RenameTurfDto): Promise<TurfResponseDto> {
    return toTurfResponse(await this.turfs.rename(actor, id, dto.name));
  }

  @Get('turfs/:id/walk-list.csv')
  @AnyMember()
  @ApiProduces('text/csv')
  @ApiDoc('The route as a CSV walk list to print: doors in walking order, columns to fill in by hand', [400, 404])
  @ApiOkResponse({ schema: { type: 'string' } })
  async walkList(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { fileName, csv } = await this.turfs.walkListCsv(actor, id);
    void reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}"`);
    return csv;
  }

  @Get('turfs/:id/walk-list.pdf')
  @AnyMember()
  @ApiProduces('application/pdf')
  @ApiDoc('The route as a printable PDF walk list: map outline, legend in English and Spanish, doors in walking order', [400, 404])
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async walkListPdf(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { fileName, pdf } = await this.turfs.walkListPdf(actor, id);
    void reply.header('Content-Type', 'application/pdf').header('Content-Disposition', `attachment; filename="${fileName}"`);
    return pdf;
  }

  @Put('turfs/:id/route')
  @Roles('organizer')
  @ApiDoc('Reorder a route by hand: every door once, units of a building together', [400, 404])
  @ApiOkResponse({ type: RouteResponseDto })
  async reorder(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReorderRouteDto,
  ): Promise<RouteResponseDto> {
    return toRouteResponse(await this.turfs.reorder(actor, id, dto.doorIds));
  }

  @Post('turfs/merge')
  @Roles('organizer')
  @ApiDoc('Merge turfs of one campaign that nobody is walking into one turf with a new route', [400, 404, 409])
  @ApiCreatedResponse({ type: CutResponseDto })
  async merge(@CurrentActor() actor: Actor, @Body() dto: MergeTurfsDto): Promise<CutResponseDto> {
    return toCutResponse(await this.turfs.merge(actor, dto.turfIds));
  }

  @Post('turfs/:id/doors')
  @Roles('organizer')
  @ApiDoc(
    "Move doors into this turf (each with its building's other units) from the turfs that held them or from none; this turf and those they left get new routes, and a turf left with no door to knock is removed. Only turfs nobody is walking change",
    [400, 404, 409],
  )
  @ApiCreatedResponse({ type: CutResponseDto })
  async moveDoors(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MoveDoorsDto,
  ): Promise<CutResponseDto> {
    return toCutResponse(await this.turfs.moveDoors(actor, id, dto.doorIds));
  }

  @Post('turfs/:id/split')
  @Roles('organizer')
  @ApiDoc('Split a turf nobody is walking into balanced parts, each with its route', [400, 404, 409])
  @ApiCreatedResponse({ type: CutResponseDto })
  async split(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SplitTurfDto): Promise<CutResponseDto> {
    return toCutResponse(await this.turfs.split(actor, id, dto.parts));
  }

  @Post('routes/claim')
  @HttpCode(200)
  @AnyMember()
  @UseGuards(ClaimRateLimitGuard)
  @ApiDoc(
    'Take a route by its code (typed, or scanned from its QR code), if the campaign allows it; joins as the partner of one person already on it',
    [400, 403, 404, 409, 429],
  )
  @ApiOkResponse({ type: TurfResponseDto })
  async claim(@CurrentActor() actor: Actor, @Body() dto: ClaimRouteDto): Promise<TurfResponseDto> {
    return toTurfResponse(await this.turfs.claim(actor, dto.code));
  }

  @Get('turfs/:id/qr.svg')
  @Roles('organizer', 'coordinator')
  @Header('Content-Type', 'image/svg+xml')
  @ApiProduces('image/svg+xml')
  @ApiDoc("The route's QR code: a link that lets a volunteer take it with one scan", [400, 404])
  @ApiOkResponse({ schema: { type: 'string' } })
  qr(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.turfs.qrSvg(actor, id, this.app.publicUrl);
  }

  @Put('turfs/:id/assignment')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Hand the route to one volunteer or a pair, until it expires; replaces any current assignment', [400, 404])
  @ApiOkResponse({ type: TurfResponseDto })
  async assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignRouteDto,
  ): Promise<TurfResponseDto> {
    return toTurfResponse(await this.turfs.assign(actor, id, dto.volunteerIds, dto.expiresInDays));
  }

  @Delete('turfs/:id/assignment')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Release the route: nobody is walking it any more', [400, 404])
  @ApiOkResponse({ type: TurfResponseDto })
  async release(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TurfResponseDto> {
    return toTurfResponse(await this.turfs.release(actor, id));
  }
}
