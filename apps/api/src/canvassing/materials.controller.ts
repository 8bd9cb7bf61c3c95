import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import {
  CampaignMaterialsDto,
  CreateMaterialDto,
  MaterialPageDto,
  MaterialResponseDto,
  MaterialService,
  toMaterialResponse,
  UpdateMaterialDto,
} from '@app/canvassing';
import { PageQueryDto } from '@app/core';
import { ApiDoc } from '../common/api-docs';

@ApiTags('materials')
@Controller()
export class MaterialsController {
  constructor(private readonly materials: MaterialService) {}

  @Post('materials')
  @Roles('organizer')
  @ApiDoc('Add a material to the catalogue (a know-your-rights card in Spanish, say)', [400, 409])
  @ApiCreatedResponse({ type: MaterialResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateMaterialDto): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.create(actor, dto));
  }

  @Get('materials')
  @Roles('organizer', 'coordinator')
  @ApiDoc("The organization's materials by kind, name and language", [400])
  @ApiOkResponse({ type: MaterialPageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<MaterialPageDto> {
    const result = await this.materials.list(actor, page);
    return { ...result, items: result.items.map(toMaterialResponse) };
  }

  @Patch('materials/:id')
  @Roles('organizer')
  @ApiDoc('Change a material (name, kind, language, link or stock)', [400, 404, 409])
  @ApiOkResponse({ type: MaterialResponseDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMaterialDto,
  ): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.update(actor, id, dto));
  }

  @Get('campaigns/:id/materials')
  @AnyMember()
  @ApiDoc('The materials a campaign hands out (volunteers need them to record what they leave at doors)', [400, 404])
  @ApiOkResponse({ type: [MaterialResponseDto] })
  async forCampaign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) campaignId: string): Promise<MaterialResponseDto[]> {
    return (await this.materials.forCampaign(actor, campaignId)).map(toMaterialResponse);
  }

  @Put('campaigns/:id/materials')
  @Roles('organizer')
  @ApiDoc('Choose the materials a campaign hands out (replaces the current choice)', [400, 404])
  @ApiOkResponse({ type: [MaterialResponseDto] })
  async setForCampaign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Body() dto: CampaignMaterialsDto,
  ): Promise<MaterialResponseDto[]> {
    return (await this.materials.setForCampaign(actor, campaignId, dto.materialIds)).map(toMaterialResponse);
  }
}
