import { Logger as NestLogger } from '@nestjs/common';
import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';

/**
 * TypeORM's own loggers print query parameters, which hold e-mail addresses and password
 * hashes. This one logs the failing statement's text and error, never its parameters.
 */
export class SafeQueryLogger extends AbstractLogger {
  private readonly logger = new NestLogger('Database');

  override logQueryError(error: string | Error, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    const message = error instanceof Error ? error.message : error;
    // Constraint violations are answered to the caller as 4xx; only log what nobody handled at debug level.
    this.logger.debug({ query: query.slice(0, 500), error: message }, 'query failed');
  }

  override logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query: query.slice(0, 500), ms: time }, 'slow query');
  }

  protected writeLog(level: LogLevel, logMessage: LogMessage | LogMessage[]): void {
    for (const m of Array.isArray(logMessage) ? logMessage : [logMessage]) {
      const text = typeof m.message === 'string' ? m.message : String(m.message);
      if (level === 'warn') this.logger.warn(text);
      else if (level === 'error') this.logger.error(text);
      else if (level === 'migration' || level === 'schema' || level === 'info' || level === 'log') this.logger.log(text);
    }
  }
}
