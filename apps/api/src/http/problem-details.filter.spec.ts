import { type ArgumentsHost, BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import { ProblemDetailsFilter, ProblemException } from './problem-details.filter';

function respond(exception: unknown): { status: number; type: string; body: Record<string, unknown> } {
  const sent = { status: 0, type: '', body: {} as Record<string, unknown> };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    json(b: Record<string, unknown>) {
      sent.body = b;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ originalUrl: '/handovers/h-1' }), getResponse: () => response }),
  } as unknown as ArgumentsHost;
  const logger = { setContext: () => undefined, error: jest.fn() } as unknown as PinoLogger;
  new ProblemDetailsFilter(logger).catch(exception, host);
  return sent;
}

/** What body-parser hands on for a body that is not JSON. */
function parseError(): Error {
  return Object.assign(new SyntaxError('Unexpected end of JSON input'), {
    status: 400,
    statusCode: 400,
    expose: true,
    type: 'entity.parse.failed',
  });
}

describe('ProblemDetailsFilter', () => {
  it('given a Nest HTTP exception, when caught, then the answer is problem+json with status, title, advice and the request path', () => {
    const sent = respond(new NotFoundException('Cannot GET /handovers/h-1'));
    expect(sent.status).toBe(404);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Cannot GET /handovers/h-1. Check the path and the id in it.',
      instance: '/handovers/h-1',
    });
  });

  it('given a body that is not JSON, when caught, then the answer is 400 saying so', () => {
    const sent = respond(parseError());
    expect(sent.status).toBe(400);
    expect(sent.body.detail).toMatch(/^The body is not valid JSON\./);
  });

  it('given Nest’s wrapping of a JSON syntax error, when caught, then the answer is 400 saying the body is not valid JSON', () => {
    const sent = respond(new BadRequestException('Unterminated string in JSON at position 3'));
    expect(sent.body.detail).toBe(
      'The body is not valid JSON (Unterminated string in JSON at position 3). Correct the request and send it again.',
    );
  });

  it('given a domain problem, when caught, then its own details are sent unchanged', () => {
    const problem = {
      type: '/problems/wrong-state',
      title: 'Wrong state',
      status: 409,
      detail: 'Handover is started.',
    };
    expect(respond(new ProblemException(problem)).body).toMatchObject(problem);
    expect(respond(new ConflictException()).status).toBe(409);
  });

  it('given an unexpected error, when caught, then it answers 500 without internals', () => {
    const sent = respond(new Error('connection string postgres://secret'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret');
  });
});
