import { ApiResponse } from '@nestjs/swagger';
import type { ResponseSchemaName } from './response-types';

/** A JSON answer whose schema is generated from the handler's return type (response-types.ts). */
export function ApiAnswer(
  status: number,
  schema: ResponseSchemaName,
  description: string,
  headers?: Record<string, { description: string; schema: Record<string, unknown>; required?: boolean }>,
): MethodDecorator & ClassDecorator {
  return ApiResponse({
    status,
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
    ...(headers ? { headers } : {}),
  });
}

/** The `Location` of what a command created. */
export const LOCATION_HEADER = {
  Location: { description: 'The path of what was created', schema: { type: 'string' }, required: true },
};

/** The next page of a list (RFC 8288), absent on the last page. */
export const LINK_HEADER = {
  Link: {
    description: '`<path?limit=&cursor=>; rel="next"` while there is a next page',
    schema: { type: 'string' },
    required: false,
  },
};
