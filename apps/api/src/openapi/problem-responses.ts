import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../http/problem-details';

export const PROBLEM_SCHEMA_REF = '#/components/schemas/ProblemDetails';

/** RFC 9457 problem details as every error of this API is answered (problem-details.filter.ts). */
export const PROBLEM_DETAILS_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details. `type` names the problem (`/problems/<slug>`, relative to the API); `detail` says what to do. Some problems add members of their own (e.g. `openHandoverId`, `firstKnownAt`).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri-reference', examples: ['/problems/invalid-body'] },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The path and query of the request' },
    errors: {
      type: 'array',
      description: 'For a 400 or 422: each field and what is wrong with it',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: true,
} as const;

/** A response whose body is problem details. */
export function problemResponse(description: string, headers?: Record<string, unknown>) {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } },
    ...(headers ? { headers } : {}),
  };
}

/**
 * Documents the problems an operation answers beyond those every operation of its kind can
 * (those the document builder adds: see openapi-document.ts). Keys are statuses, values say when.
 */
export function ApiProblems(problems: Readonly<Record<number, string>>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(problems).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_SCHEMA_REF } } },
      }),
    ),
  );
}
