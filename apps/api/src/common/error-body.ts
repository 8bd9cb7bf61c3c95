import { HttpException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { ThrottlerException } from '@nestjs/throttler';
import { AppError, ERROR_STATUS, ErrorCode } from '@app/core';
import { isDatabaseUnavailable } from '@app/database';
import { isRedisUnavailable } from '@app/queue';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own errors (body parsing, limits) by their code. */
const FASTIFY: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the server accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The body is empty but Content-Type says JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'The body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: 'Content-Length does not match the body' },
};

const FASTIFY_BY_MESSAGE = new Map(
  Object.entries(FASTIFY).flatMap(([name, known]) => {
    const ErrorClass = (errorCodes as Record<string, (new () => Error) | undefined>)[name];
    return ErrorClass ? [[new ErrorClass().message, known] as const] : [];
  }),
);

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  // "Cannot GET /path?query": the path alone, as in the logs (a query string may carry an address or an e-mail).
  if (typeof message === 'string') return message.replace(/^(Cannot [A-Z]+ [^?\s]*)\?\S*/, '$1');
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

/**
 * The one mapping from anything thrown to the answer `{ statusCode, code, message, details? }`.
 * `unexpected` is true when the error was not one the product raises on purpose (log it).
 */
export function toErrorBody(exception: unknown, requestId: string): { body: ErrorBody; unexpected: boolean } {
  if (exception instanceof AppError) {
    return {
      body: {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      },
      unexpected: false,
    };
  }
  if (exception instanceof ThrottlerException) {
    return {
      body: { statusCode: 429, code: 'RATE_LIMITED', message: 'Too many attempts; wait a few minutes and try again' },
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    // Nest turns Fastify's own errors (body parsing, limits) into HttpExceptions that keep only the message.
    const fastifyKnown = FASTIFY_BY_MESSAGE.get(exception.message);
    if (fastifyKnown)
      return {
        body: { statusCode: ERROR_STATUS[fastifyKnown.code], code: fastifyKnown.code, message: fastifyKnown.message },
        unexpected: false,
      };
    const status = exception.getStatus();
    const code = BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const response = exception.getResponse();
    const details = status === 503 && typeof response === 'object' ? { checks: response } : undefined;
    return {
      body: {
        statusCode: ERROR_STATUS[code] === status ? status : ERROR_STATUS[code],
        code,
        message: httpMessage(exception),
        ...(details ? { details } : {}),
      },
      unexpected: status >= 500 && status !== 503,
    };
  }
  const e = exception as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (e && typeof e.code === 'string' && FASTIFY[e.code]) {
    const known = FASTIFY[e.code];
    return { body: { statusCode: ERROR_STATUS[known.code], code: known.code, message: known.message }, unexpected: false };
  }
  if (exception instanceof SyntaxError && e?.statusCode === 400) {
    return { body: { statusCode: 400, code: 'MALFORMED_JSON', message: 'The body is not valid JSON' }, unexpected: false };
  }
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = BY_STATUS[e.statusCode] ?? 'BAD_REQUEST';
    return {
      body: { statusCode: ERROR_STATUS[code], code, message: typeof e.message === 'string' ? e.message : 'Bad request' },
      unexpected: false,
    };
  }
  // PostgreSQL or Redis (rate limits, queues) out of reach: the request may be retried shortly.
  if (isDatabaseUnavailable(exception) || isRedisUnavailable(exception)) {
    return {
      body: {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is briefly unavailable; try again shortly',
        details: { requestId },
      },
      unexpected: true,
    };
  }
  return {
    body: { statusCode: 500, code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged', details: { requestId } },
    unexpected: true,
  };
}
