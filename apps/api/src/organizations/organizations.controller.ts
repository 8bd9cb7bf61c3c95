import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Roles } from '@app/auth';
import {
  AccountService,
  AuthService,
  CreateOrganizationDto,
  OrganizationResponseDto,
  toOrganizationResponse,
  UpdateOrganizationDto,
} from '@app/organizations';
import { ApiDoc } from '../common/api-docs';

@ApiTags('organizations')
@Controller('organizations')
export class OrganizationsController {
  constructor(
    private readonly accounts: AccountService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  @AnyMember()
  @ApiDoc('Create another organization and become its organizer (log in to it to work there)', [400, 403])
  @ApiCreatedResponse({ schema: { properties: { organizationId: { type: 'string', format: 'uuid' } } } })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto): Promise<{ organizationId: string }> {
    return this.auth.createOrganization(actor, dto.name, dto.signupCode);
  }

  @Get('current')
  @AnyMember()
  @ApiDoc('The organization this session works in')
  @ApiOkResponse({ type: OrganizationResponseDto })
  async current(@CurrentActor() actor: Actor): Promise<OrganizationResponseDto> {
    return toOrganizationResponse(await this.accounts.organization(actor));
  }

  @Patch('current')
  @Roles('organizer')
  @ApiDoc('Rename the organization, or change its settings (visit notes, coarse locations at check-in)', [400])
  @ApiOkResponse({ type: OrganizationResponseDto })
  async update(@CurrentActor() actor: Actor, @Body() dto: UpdateOrganizationDto): Promise<OrganizationResponseDto> {
    return toOrganizationResponse(await this.accounts.updateOrganization(actor, dto));
  }
}
