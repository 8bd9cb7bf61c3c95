import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { errorCodes } from 'fastify';
import { AppError, ERROR_STATUS, NotFoundError } from '@app/core';
import { toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('answers an AppError with its code, the status of the code and its details', () => {
    const { body, unexpected } = toErrorBody(new AppError('INVITE_USED', 'used', { a: 1 }), 'r1');
    expect(body).toEqual({ statusCode: 410, code: 'INVITE_USED', message: 'used', details: { a: 1 } });
    expect(unexpected).toBe(false);
    expect(toErrorBody(new NotFoundError('Member'), 'r1').body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Member not found',
    });
  });

  it('gives every code a status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS))
      expect({ code, ok: status >= 400 && status < 600 }).toEqual({ code, ok: true });
  });

  it("maps Fastify's own errors, as Nest hands them over, to precise codes", () => {
    const asNest = (e: Error & { statusCode?: number }) => new HttpException(e.message, e.statusCode ?? 400);
    expect(toErrorBody(asNest(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()), 'r').body.code).toBe('MALFORMED_JSON');
    expect(toErrorBody(asNest(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()), 'r').body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toErrorBody(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/csv'), 'r').body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('maps Nest HTTP exceptions and throttling', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'), 'r').body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
    });
    expect(toErrorBody(new BadRequestException(['a', 'b']), 'r').body.message).toBe('a; b');
    expect(toErrorBody(new PayloadTooLargeException(), 'r').body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toErrorBody(new ThrottlerException(), 'r').body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  });

  it('hides unexpected errors behind a request id, and marks them for the log', () => {
    const { body, unexpected } = toErrorBody(new Error('secret detail: 12 Main St'), 'req-42');
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: expect.not.stringContaining('Main St'),
      details: { requestId: 'req-42' },
    });
    expect(unexpected).toBe(true);
  });

  it('answers 503 when PostgreSQL cannot be reached', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorBody(err, 'r').body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});
