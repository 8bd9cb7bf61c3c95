import { Body, Controller, Get, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor } from '@app/auth';
import {
  AccountPasswordService,
  AccountService,
  ChangePasswordDto,
  MeResponseDto,
  toMeResponse,
  UpdateProfileDto,
} from '@app/organizations';
import { ApiDoc } from '../common/api-docs';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountService,
    private readonly passwords: AccountPasswordService,
  ) {}

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

  @Post('password')
  @HttpCode(204)
  @AnyMember()
  @UseGuards(ThrottlerGuard)
  @ApiDoc('Change your password, giving the current one; your other sessions end, this one continues', [400, 429])
  @ApiNoContentResponse()
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.passwords.change(actor, dto.currentPassword, dto.newPassword);
  }
}
