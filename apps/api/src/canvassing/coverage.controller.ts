import { Controller, Get, MessageEvent, Param, ParseUUIDPipe, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { CoverageService, CoverageSummary, TurfCoverageRow } from '@app/coverage';
import { ApiDoc } from '../common/api-docs';

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
  turfs(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TurfCoverageRow[]> {
    return this.coverage.turfs(actor, id);
  }

  @Sse('stream')
  @Roles('organizer', 'coordinator')
  @ApiProduces('text/event-stream')
  @ApiDoc('Server-sent events: the figures now, then again within a second of each sync that changes them', [400, 404])
  stream(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    return this.coverage.stream(actor, id);
  }
}
