import { Controller, Delete, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { PageQueryDto } from '@app/core';
import { DoorPageDto, DoorResponseDto, DoorService, toDoorResponse } from '@app/turf';
import { ApiDoc } from '../common/api-docs';

/** Door-level data: organizers only (coordinators see counts and turfs). */
@ApiTags('doors')
@Controller()
export class DoorsController {
  constructor(private readonly doors: DoorService) {}

  @Get('campaigns/:id/doors')
  @Roles('organizer')
  @ApiDoc("A campaign's doors, by street, number and unit", [400, 404])
  @ApiOkResponse({ type: DoorPageDto })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() page: PageQueryDto,
  ): Promise<DoorPageDto> {
    const result = await this.doors.listForCampaign(actor, campaignId, page);
    return { ...result, items: result.items.map(toDoorResponse) };
  }

  @Put('doors/:id/do-not-knock')
  @Roles('organizer')
  @ApiDoc('Mark a door "do not knock": it never appears in a route again', [400, 404])
  @ApiOkResponse({ type: DoorResponseDto })
  async mark(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<DoorResponseDto> {
    return toDoorResponse(await this.doors.setDoNotKnock(actor, id, true));
  }

  @Delete('doors/:id/do-not-knock')
  @Roles('organizer')
  @ApiDoc('Remove the "do not knock" mark', [400, 404])
  @ApiOkResponse({ type: DoorResponseDto })
  async unmark(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<DoorResponseDto> {
    return toDoorResponse(await this.doors.setDoNotKnock(actor, id, false));
  }
}
