import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor } from '@app/auth';
import { AccountService, MeResponseDto, toMeResponse, UpdateProfileDto } from '@app/organizations';
import { ApiDoc } from '../common/api-docs';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(private readonly accounts: AccountService) {}

  @Get()
  @AnyMember()
  @ApiDoc('Your account, your role here and your other organizations')
  @ApiOkResponse({ type: MeResponseDto })
  async me(@CurrentActor() actor: Actor): Promise<MeResponseDto> {
    return toMeResponse(await this.accounts.me(actor));
  }

  @Patch()
  @AnyMember()
  @ApiDoc('Change your name, language or phone', [400])
  @ApiOkResponse({ type: MeResponseDto })
  async update(@CurrentActor() actor: Actor, @Body() dto: UpdateProfileDto): Promise<MeResponseDto> {
    return toMeResponse(await this.accounts.updateProfile(actor, dto));
  }
}
