import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '@app/auth';
import { appConfig, AppConfig } from '@app/config';
import { Clock, PageQueryDto } from '@app/core';
import {
  AcceptInviteDto,
  CreatedInviteResponseDto,
  CreateInviteDto,
  InvitePageDto,
  InvitePreviewResponseDto,
  InviteService,
  InviteTokenDto,
  toCreatedInviteResponse,
  toInvitePreviewResponse,
  toInviteResponse,
  toTokenPairResponse,
  TokenPairResponseDto,
} from '@app/organizations';
import { PublicRateLimitGuard } from '../auth/rate-limits';
import { ApiDoc } from '../common/api-docs';

@ApiTags('invites')
@Controller('invites')
export class InvitesController {
  constructor(
    private readonly invites: InviteService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Post()
  @Roles('organizer', 'coordinator')
  @ApiDoc('Invite someone by link, with a role; the link expires and works once (coordinators invite volunteers only)', [400, 403])
  @ApiCreatedResponse({ type: CreatedInviteResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateInviteDto): Promise<CreatedInviteResponseDto> {
    return toCreatedInviteResponse(await this.invites.create(actor, dto, this.app.publicUrl), this.clock.now());
  }

  @Get()
  @Roles('organizer', 'coordinator')
  @ApiDoc('Invites not yet accepted or revoked, newest first (coordinators see the volunteer invites)', [400])
  @ApiOkResponse({ type: InvitePageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<InvitePageDto> {
    const result = await this.invites.listPending(actor, page);
    const now = this.clock.now();
    return { ...result, items: result.items.map((i) => toInviteResponse(i, now)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Revoke an invite so that its link stops working (coordinators: volunteer invites only)', [400, 403, 404, 410])
  @ApiNoContentResponse()
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.invites.revoke(actor, id);
  }

  @Post('preview')
  @HttpCode(200)
  @Public()
  // No account yet: the generous per-address limit of the public links, so that people behind one address are not throttled together.
  @UseGuards(PublicRateLimitGuard)
  @ApiDoc('What an invite link is for (organization and role), before accepting it', [400, 404, 410, 429])
  @ApiOkResponse({ type: InvitePreviewResponseDto })
  async preview(@Body() dto: InviteTokenDto): Promise<InvitePreviewResponseDto> {
    return toInvitePreviewResponse(await this.invites.preview(dto.token));
  }

  @Post('accept')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiDoc('Accept an invite: create your account (or give your existing password) and join', [400, 401, 404, 409, 410, 429])
  @ApiCreatedResponse({ type: TokenPairResponseDto })
  async accept(@Body() dto: AcceptInviteDto): Promise<TokenPairResponseDto> {
    return toTokenPairResponse(await this.invites.accept(dto));
  }
}
