import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Every error the product raises on purpose carries a stable code. The HTTP status of
 * each code is decided here, in one table, so that services never think in HTTP terms.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  WEAK_PASSWORD: 400,
  WRONG_CURRENT_PASSWORD: 400,
  RESET_TOKEN_INVALID: 400,
  BAD_REQUEST: 400,
  INVALID_GEOMETRY: 400,
  UNREADABLE_FILE: 400,
  NOTHING_TO_CUT: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  FORBIDDEN: 403,
  REAUTH_FAILED: 403,
  SIGNUP_CLOSED: 403,
  NO_ACTIVE_MEMBERSHIP: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  ALREADY_MEMBER: 409,
  LAST_ORGANIZER: 409,
  ROUTE_TAKEN: 409,
  TURF_ASSIGNED: 409,
  ALREADY_SIGNED_UP: 409,
  EVENT_CLOSED: 409,
  CONFLICT: 409,
  MATERIAL_RETIRED: 409,
  INVITE_EXPIRED: 410,
  INVITE_USED: 410,
  INVITE_REVOKED: 410,
  RESET_TOKEN_EXPIRED: 410,
  RESET_TOKEN_USED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOTE_UNREADABLE: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Answered both for objects that do not exist and for objects of another organization. */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this action') {
    super('FORBIDDEN', message);
  }
}

export class ValidationFailedError extends AppError {
  /**
   * `fields` maps a field path (e.g. `email`, `items.0.quantity`) to its messages; `moreFields`
   * counts the problems left out of it, so that an answer stays small whatever was sent.
   */
  constructor(fields: Record<string, string[]>, message = 'The request is not valid', moreFields = 0) {
    super('VALIDATION_FAILED', message, moreFields > 0 ? { fields, moreFields } : { fields });
  }
}

/** The body of every error answer. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'NOT_FOUND' })
  code: string;

  @ApiProperty({ example: 'Member not found' })
  message: string;

  @ApiPropertyOptional({
    description:
      'For VALIDATION_FAILED: `fields` maps each field path to its messages (the first ten), `moreFields` counts the others. For 500: `requestId`.',
    example: { fields: { email: ['email must be an email'] } },
  })
  details?: Record<string, unknown>;
}
