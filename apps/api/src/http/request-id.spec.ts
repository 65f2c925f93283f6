import type { Request, Response } from 'express';
import { requestIdCheck } from './request-id';

function run(requestId: string | string[] | undefined) {
  const answer: { status?: number; body?: Record<string, unknown>; passed: boolean } = { passed: false };
  const res = {
    status(code: number) {
      answer.status = code;
      return this;
    },
    type() {
      return this;
    },
    json(body: Record<string, unknown>) {
      answer.body = body;
      return this;
    },
  } as unknown as Response;
  const headers = requestId === undefined ? {} : { 'x-request-id': requestId };
  requestIdCheck()({ headers } as unknown as Request, res, () => (answer.passed = true));
  return answer;
}

describe('X-Request-Id check', () => {
  it('given no request id or a UUID, when checked, then the request goes on', () => {
    expect(run(undefined).passed).toBe(true);
    expect(run('0b6f0c9e-4b0e-4a36-9d8f-3c4f9f1f2a10').passed).toBe(true);
  });

  it.each([['jan.jansen@example.nl'], ['dossier 2024-117 familie de Vries'], [['a', 'b']]])(
    'given the request id %p, when checked, then 400 problem details and nothing further',
    (requestId) => {
      const answer = run(requestId);
      expect(answer.passed).toBe(false);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ type: '/problems/invalid-request-id', status: 400 });
    },
  );
});
