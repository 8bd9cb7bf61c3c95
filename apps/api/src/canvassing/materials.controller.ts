import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import {
  CampaignMaterialsDto,
  CreateMaterialDto,
  MaterialPageDto,
  MaterialQueryDto,
  MaterialResponseDto,
  MaterialService,
  toMaterialResponse,
  UpdateMaterialDto,
} from '@app/canvassing';
import { ApiDoc } from '../common/api-docs';

@ApiTags('materials')
@Controller()
export class MaterialsController {
  constructor(private readonly materials: MaterialService) {}

  @Post('materials')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Add a material to the catalogue (a know-your-rights card in Spanish, say), named in each interface language', [400, 409])
  @ApiCreatedResponse({ type: MaterialResponseDto })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateMaterialDto): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.create(actor, dto));
  }

  @Get('materials')
  @Roles('organizer', 'coordinator')
  @ApiDoc("The organization's materials by kind, name and language, with their stock (?status=active|retired|all)", [400])
  @ApiOkResponse({ type: MaterialPageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: MaterialQueryDto): Promise<MaterialPageDto> {
    const result = await this.materials.list(actor, page);
    return { ...result, items: result.items.map(toMaterialResponse) };
  }

  @Patch('materials/:id')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Change a material (names, kind, language, link, stock or low-stock threshold)', [400, 404, 409])
  @ApiOkResponse({ type: MaterialResponseDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMaterialDto,
  ): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.update(actor, id, dto));
  }

  @Post('materials/:id/retire')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Retire a material: off every campaign’s list, kept for the records that name it (retiring twice changes nothing)', [400, 404])
  @ApiOkResponse({ type: MaterialResponseDto })
  async retire(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.retire(actor, id));
  }

  @Post('materials/:id/restore')
  @HttpCode(200)
  @Roles('organizer', 'coordinator')
  @ApiDoc('Put a retired material back in use, on the campaigns that had chosen it', [400, 404])
  @ApiOkResponse({ type: MaterialResponseDto })
  async restore(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<MaterialResponseDto> {
    return toMaterialResponse(await this.materials.restore(actor, id));
  }

  @Get('campaigns/:id/materials')
  @AnyMember()
  @ApiDoc('The materials a campaign hands out (volunteers need them to record what they leave at doors)', [400, 404])
  @ApiOkResponse({ type: [MaterialResponseDto] })
  async forCampaign(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) campaignId: string): Promise<MaterialResponseDto[]> {
    return (await this.materials.forCampaign(actor, campaignId)).map(toMaterialResponse);
  }

  @Put('campaigns/:id/materials')
  @Roles('organizer', 'coordinator')
  @ApiDoc('Choose the materials a campaign hands out (replaces the current choice; retired ones are refused)', [400, 404, 409])
  @ApiOkResponse({ type: [MaterialResponseDto] })
  async setForCampaign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Body() dto: CampaignMaterialsDto,
  ): Promise<MaterialResponseDto[]> {
    return (await this.materials.setForCampaign(actor, campaignId, dto.materialIds)).map(toMaterialResponse);
  }
}
