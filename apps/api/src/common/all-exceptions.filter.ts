import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from './error-body';

/** Every error answer goes through here. Unexpected errors are logged with the request id, never with the body. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { body, unexpected } = toErrorBody(exception, String(request.id));
    if (unexpected) logUnexpected(this.logger, exception, request);
    // A route that answers a file (CSV, iCalendar) set its content type before it failed: errors are JSON.
    void reply.status(body.statusCode).header('Content-Type', 'application/json; charset=utf-8').send(body);
  }
}

export function logUnexpected(logger: Logger, exception: unknown, request: FastifyRequest): void {
  const err =
    exception instanceof Error
      ? { type: exception.name, message: exception.message, stack: exception.stack }
      : { value: String(exception) };
  logger.error({ err, reqId: request.id, method: request.method, route: request.routeOptions?.url }, 'unexpected error');
}
