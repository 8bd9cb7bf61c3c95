import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '@app/auth';
import { AuditLogEntry, AuditService } from '@app/audit';
import { PageMetaDto, PageQueryDto } from '@app/core';
import { ApiDoc } from '../common/api-docs';

class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() action: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorUserId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetType: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetId: string | null;
  @ApiProperty({ type: Object }) metadata: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

class AuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
}

const toAuditEntry = (e: AuditLogEntry): AuditEntryDto => ({
  id: e.id,
  action: e.action,
  actorUserId: e.actorUserId,
  targetType: e.targetType,
  targetId: e.targetId,
  metadata: e.metadata,
  createdAt: e.createdAt.toISOString(),
});

@ApiTags('audit')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('organizer')
  @ApiDoc("The organization's audit log, newest first", [400])
  @ApiOkResponse({ type: AuditPageDto })
  async list(@CurrentActor() actor: Actor, @Query() page: PageQueryDto): Promise<AuditPageDto> {
    const result = await this.audit.listForOrganization(actor.organizationId, page);
    return { ...result, items: result.items.map(toAuditEntry) };
  }
}
