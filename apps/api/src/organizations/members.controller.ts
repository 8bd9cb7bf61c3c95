import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { PageQueryDto } from '@app/core';
import {
  ChangeRoleDto,
  MemberPageDto,
  MembershipResponseDto,
  MembershipService,
  toMemberResponse,
  toMembershipResponse,
} from '@app/organizations';
import { ApiDoc } from '../common/api-docs';

@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(private readonly memberships: MembershipService) {}

  @Get()
  @Roles('organizer', 'coordinator')
  @ApiDoc('Members of the organization, by name (contact details for organizers only)', [400])
  @ApiOkResponse({ type: MemberPageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<MemberPageDto> {
    const result = await this.memberships.list(actor, page);
    return { ...result, items: result.items.map((row) => toMemberResponse(row, actor)) };
  }

  @Patch(':id/role')
  @Roles('organizer')
  @ApiDoc("Change a member's role; takes effect on their next request", [400, 404, 409])
  @ApiOkResponse({ type: MembershipResponseDto })
  async changeRole(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<MembershipResponseDto> {
    return toMembershipResponse(await this.memberships.changeRole(actor, id, dto.role));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('organizer')
  @ApiDoc('Deactivate a member: their sessions here end at once', [400, 404, 409])
  @ApiOkResponse({ type: MembershipResponseDto })
  async deactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MembershipResponseDto> {
    return toMembershipResponse(await this.memberships.deactivate(actor, id));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles('organizer')
  @ApiDoc('Let a deactivated member in again (they log in anew)', [400, 404])
  @ApiOkResponse({ type: MembershipResponseDto })
  async reactivate(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MembershipResponseDto> {
    return toMembershipResponse(await this.memberships.reactivate(actor, id));
  }
}
