import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { AppError, PageQueryDto } from '@app/core';
import {
  AddressImportService,
  ImportPageDto,
  ImportQueryDto,
  ImportResponseDto,
  RejectionPageDto,
  toImportResponse,
  toRejection,
} from '@app/turf';
import { ApiDoc } from '../common/api-docs';
import { FILE_TYPES, fileFormatOf } from './file-upload';

@ApiTags('imports')
@Controller()
export class ImportsController {
  constructor(private readonly imports: AddressImportService) {}

  @Post('campaigns/:id/imports')
  @HttpCode(202)
  @Roles('organizer')
  @ApiConsumes(...FILE_TYPES.csv, ...FILE_TYPES.geojson)
  @ApiBody({
    description:
      'The file itself as the body: an OpenAddresses CSV (LON,LAT,NUMBER,STREET[,UNIT,CITY,POSTCODE,ID], any order), a GeoJSON FeatureCollection of points, or GeoJSON points one per line (RFC 8142 text sequence, with or without the RS separator)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiDoc('Upload addresses into a campaign; answers at once with the import, which runs in the background', [400, 404, 413, 415])
  @ApiAcceptedResponse({ type: ImportResponseDto })
  async start(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() query: ImportQueryDto,
    @Req() req: FastifyRequest,
  ): Promise<ImportResponseDto> {
    const format = fileFormatOf(req.headers['content-type']);
    if (!format || !Buffer.isBuffer(req.body)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as the request body with Content-Type text/csv or application/geo+json');
    }
    const fileName = query.fileName ?? `addresses.${format === 'csv' ? 'csv' : 'geojson'}`;
    return toImportResponse(await this.imports.start(actor, campaignId, { fileName, format, content: req.body }));
  }

  @Get('campaigns/:id/imports')
  @Roles('organizer')
  @ApiDoc("A campaign's imports, newest first", [400, 404])
  @ApiOkResponse({ type: ImportPageDto })
  async list(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Query() page: PageQueryDto,
  ): Promise<ImportPageDto> {
    const result = await this.imports.listForCampaign(actor, campaignId, page);
    return { ...result, items: result.items.map(toImportResponse) };
  }

  @Get('imports/:id')
  @Roles('organizer')
  @ApiDoc('An import: status, progress (rows read of total) and report', [400, 404])
  @ApiOkResponse({ type: ImportResponseDto })
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ImportResponseDto> {
    return toImportResponse(await this.imports.get(actor, id));
  }

  @Get('imports/:id/rejections')
  @Roles('organizer')
  @ApiDoc('The rows an import refused, by line, with the reason', [400, 404])
  @ApiOkResponse({ type: RejectionPageDto })
  async rejections(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<RejectionPageDto> {
    const result = await this.imports.rejections(actor, id, page);
    return { ...result, items: result.items.map(toRejection) };
  }

  @Get('imports/:id/rejections.csv')
  @Roles('organizer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiDoc('The refused rows as a CSV file (line,code,reason)', [400, 404])
  @ApiOkResponse({ schema: { type: 'string' } })
  async rejectionsCsv(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const csv = await this.imports.rejectionsCsv(actor, id);
    void reply.header('Content-Disposition', `attachment; filename="import-${id.slice(0, 8)}-rejected-rows.csv"`);
    return csv;
  }
}
