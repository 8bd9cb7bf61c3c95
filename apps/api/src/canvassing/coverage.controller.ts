import { Body, Controller, Get, MessageEvent, Param, ParseUUIDPipe, Put, Query, Res, Sse } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import { AppError } from '@app/core';
import { CoverageService, CoverageSummary } from '@app/coverage';
import { ApiDoc } from '../common/api-docs';
import { assertNeighbourhoodsSize } from './neighbourhood-limits';

@ApiTags('coverage')
@Controller('campaigns/:id/coverage')
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get()
  @Roles('organizer', 'coordinator')
  @ApiDoc(
    "The campaign's coverage: doors in scope, attempted, reached, with materials, materials left, follow-ups, people out now",
    [400, 404],
  )
  @ApiOkResponse({ schema: { type: 'object' } })
  summary(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CoverageSummary> {
    return this.coverage.summary(actor, id);
  }

  @Get('turfs')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Coverage of every turf of the campaign, with its percentages', [400, 404])
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object' } } })
  async turfs(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    // The body comes ready-made from the database (TurfCoverageRow[] as JSON), kept while the figures stand.
    const json = await this.coverage.turfsJson(actor, id);
    void reply.header('Content-Type', 'application/json; charset=utf-8');
    return json;
  }

  @Get('series')
  @Roles('organizer', 'coordinator')
  @ApiDoc("Visits per hour or per day (?bucket=hour|day, default day) in the campaign's time zone", [400, 404])
  series(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query('bucket') bucket?: string) {
    if (bucket !== undefined && bucket !== 'hour' && bucket !== 'day') {
      throw new AppError('VALIDATION_FAILED', 'Unknown bucket', { fields: { bucket: ['must be hour or day'] } });
    }
    return this.coverage.series(actor, id, bucket ?? 'day');
  }

  @Put('neighbourhoods')
  @Roles('organizer')
  @ApiDoc("Replace the campaign's neighbourhoods with a GeoJSON FeatureCollection of named polygons", [400, 404])
  importNeighbourhoods(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown) {
    assertNeighbourhoodsSize(body);
    return this.coverage.importNeighbourhoods(actor, id, body);
  }

  @Get('neighbourhoods')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Coverage of each neighbourhood of the campaign', [400, 404])
  neighbourhoods(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.coverage.neighbourhoods(actor, id);
  }

  @Get('volunteers')
  @Roles('organizer', 'coordinator')
  @ApiDoc("Each volunteer's visits, doors attempted and reached, and materials left", [400, 404])
  volunteers(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.coverage.volunteers(actor, id);
  }

  @Get('leaderboard')
  @AnyMember()
  @ApiDoc('Volunteers ranked by doors attempted, when the organization has turned leaderboards on', [400, 403, 404])
  leaderboard(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.coverage.leaderboard(actor, id);
  }

  @Get('turfs.geojson')
  @Roles('organizer', 'coordinator')
  @ApiDoc("The campaign's turfs as GeoJSON, each with its coverage (and a label) in its properties", [400, 404])
  turfMap(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<object> {
    return this.coverage.turfMap(actor, id);
  }

  @Get('doors.geojson')
  @Roles('organizer')
  @ApiDoc('Every door with its status, as GeoJSON points (door-level data: organizers only, and audited)', [400, 404])
  doorMap(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<object> {
    return this.coverage.doorMap(actor, id);
  }

  @Get('export.csv')
  @Roles('organizer', 'coordinator')
  @ApiProduces('text/csv')
  @ApiDoc("Every turf's coverage figures as CSV (audited)", [400, 404])
  async csv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.coverage.coverageCsv(actor, id);
    void reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="coverage-${id}.csv"`);
    return csv;
  }

  @Sse('stream')
  @Roles('organizer', 'coordinator')
  @ApiProduces('text/event-stream')
  @ApiDoc('Server-sent events: the figures now, then again within a second of each sync that changes them', [400, 404])
  stream(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    return this.coverage.stream(actor, id);
  }
}
