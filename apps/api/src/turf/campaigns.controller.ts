import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { PageQueryDto } from '@app/core';
import { CampaignPageDto, CampaignResponseDto, CampaignService, CreateCampaignDto, toCampaignResponse, UpdateCampaignDto } from '@app/turf';
import { ApiDoc } from '../common/api-docs';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignService) {}

  @Post()
  @Roles('organizer')
  @ApiDoc('Create a campaign, optionally with the area it covers', [400])
  @ApiCreatedResponse({ type: CampaignResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCampaignDto): Promise<CampaignResponseDto> {
    return toCampaignResponse(await this.campaigns.create(actor, dto));
  }

  @Get()
  @Roles('organizer', 'coordinator')
  @ApiDoc("The organization's campaigns, newest first", [400])
  @ApiOkResponse({ type: CampaignPageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<CampaignPageDto> {
    const result = await this.campaigns.list(actor, page);
    return { ...result, items: result.items.map(toCampaignResponse) };
  }

  @Get(':id')
  @Roles('organizer', 'coordinator')
  @ApiDoc('One campaign', [400, 404])
  @ApiOkResponse({ type: CampaignResponseDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignResponseDto> {
    return toCampaignResponse(await this.campaigns.get(actor, id));
  }

  @Patch(':id')
  @Roles('organizer')
  @ApiDoc("Change a campaign's name, description, dates or area", [400, 404])
  @ApiOkResponse({ type: CampaignResponseDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignResponseDto> {
    return toCampaignResponse(await this.campaigns.update(actor, id, dto));
  }
}
