import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiAcceptedResponse, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, AnyMember, CurrentActor, Public } from '@app/auth';
import {
  AccountPasswordService,
  AuthService,
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  PasswordResetRequestedDto,
  RefreshDto,
  SignupDto,
  SwitchOrganizationDto,
  toTokenPairResponse,
  TokenPairResponseDto,
} from '@app/organizations';
import { ApiDoc } from '../common/api-docs';
import { LocalAuthGuard } from './local.strategy';
import { PublicRateLimitGuard } from './rate-limits';
import { PasswordResetMailer } from './password-reset-mailer';

const RESET_REQUESTED: PasswordResetRequestedDto = {
  message: 'If an account uses this address, a link to choose a new password is on its way. It works once, within an hour.',
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: AccountPasswordService,
    private readonly resetMailer: PasswordResetMailer,
  ) {}

  @Post('signup')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiDoc('Create an account and a new organization, as its first organizer', [400, 403, 409, 429])
  @ApiCreatedResponse({ type: TokenPairResponseDto })
  async signup(@Body() dto: SignupDto): Promise<TokenPairResponseDto> {
    return toTokenPairResponse(await this.auth.signup(dto));
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @ApiBody({ type: LoginDto })
  @ApiDoc('Log in with e-mail and password', [400, 401, 403, 429])
  @ApiOkResponse({ type: TokenPairResponseDto })
  async login(@Req() req: { user: { userId: string }; body: LoginDto }): Promise<TokenPairResponseDto> {
    return toTokenPairResponse(await this.auth.startSession(req.user.userId, req.body.organizationId));
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @UseGuards(PublicRateLimitGuard)
  @ApiDoc('Trade a refresh token for a new pair (each refresh token works once)', [400, 401, 429])
  @ApiOkResponse({ type: TokenPairResponseDto })
  async refresh(@Body() dto: RefreshDto): Promise<TokenPairResponseDto> {
    return toTokenPairResponse(await this.auth.refresh(dto.refreshToken));
  }

  @Post('switch-organization')
  @HttpCode(200)
  @AnyMember()
  @ApiDoc('Start working in another of your organizations: a new session there (this one stays open)', [400, 403])
  @ApiOkResponse({ type: TokenPairResponseDto })
  async switchOrganization(@CurrentActor() actor: Actor, @Body() dto: SwitchOrganizationDto): Promise<TokenPairResponseDto> {
    return toTokenPairResponse(await this.auth.startSession(actor.userId, dto.organizationId));
  }

  @Post('password-reset')
  @HttpCode(202)
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiDoc(
    'Ask for a link to choose a new password, sent by e-mail in the language of the account',
    [400, 429],
    'The answer is the same whether or not an account uses the address. The link works once, within an hour.',
  )
  @ApiAcceptedResponse({ type: PasswordResetRequestedDto })
  requestPasswordReset(@Body() dto: PasswordResetRequestDto): PasswordResetRequestedDto {
    this.resetMailer.dispatch(dto.email);
    return RESET_REQUESTED;
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiDoc('Choose a new password with the token of a reset link; every session of the account ends', [400, 410, 429])
  @ApiNoContentResponse()
  async confirmPasswordReset(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.passwords.confirmReset(dto.token, dto.password);
  }

  @Post('logout')
  @HttpCode(204)
  @AnyMember()
  @ApiDoc('End this session: its access and refresh tokens stop working')
  @ApiNoContentResponse()
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
  }
}
