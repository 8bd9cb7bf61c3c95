import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor } from '@app/auth';
import {
  ChangesQueryDto,
  ChangesResponseDto,
  CheckInItemDto,
  CheckOutItemDto,
  FieldService,
  NotHomeItemDto,
  SyncRequestDto,
  SyncResponseDto,
  SyncService,
  VisitItemDto,
} from '@app/canvassing';
import { appConfig, AppConfig } from '@app/config';
import { CoverageService } from '@app/coverage';
import { ApiDoc } from '../common/api-docs';

@ApiTags('sync')
@ApiExtraModels(VisitItemDto, NotHomeItemDto, CheckInItemDto, CheckOutItemDto)
@Controller('sync')
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly field: FieldService,
    private readonly coverage: CoverageService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @AnyMember()
  @ApiDoc(
    'Send the phone\'s outbox: visits, "nobody home" for several doors, check-ins and check-outs',
    [400],
    'Each record is answered on its own: `created`, `duplicate` (already stored: normal after a lost reply), `rejected` (with a code ' +
      'and a message to show) or `quarantined` (kept for a coordinator: the route was taken off the volunteer while offline). ' +
      'The records that pass are stored even when others are rejected. A phone clock more than 10 minutes ahead, or earlier than ' +
      'the assignment, is stored and flagged.',
  )
  @ApiOkResponse({ type: SyncResponseDto })
  async push(@CurrentActor() actor: Actor, @Body() dto: SyncRequestDto): Promise<SyncResponseDto> {
    const answer = await this.sync.sync(actor, dto.items);
    if (answer.counts.created > 0 && this.app.coverageRefreshOnSync) this.coverage.changed();
    return answer;
  }

  @Get('changes')
  @AnyMember()
  @ApiDoc(
    "What changed on the caller's routes since a cursor: the routes themselves, and the visits made on them (a partner's among them)",
    [400],
  )
  @ApiOkResponse({ type: ChangesResponseDto })
  changes(@CurrentActor() actor: Actor, @Query() query: ChangesQueryDto): Promise<ChangesResponseDto> {
    return this.field.changes(actor, query.cursor);
  }
}
