import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/core';

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (`VALIDATION_FAILED` names each field)',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found, or belongs to another organization',
  409: 'Conflicts with the current state',
  410: 'No longer usable',
  413: 'Body too large',
  429: 'Too many attempts',
  503: 'A dependency is unavailable',
};

/** Summary plus the error answers of an operation. 400 is implied for operations that take input. */
export function ApiDoc(summary: string, errors: number[] = [], description?: string) {
  return applyDecorators(
    ApiOperation({ summary, description }),
    ...errors.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto })),
  );
}
