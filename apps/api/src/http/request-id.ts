import type { RequestHandler } from 'express';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A client's X-Request-Id becomes the correlation id in the metadata of the events it causes,
 * which are hash-chained and kept forever. So it must be a UUID: free text (a name, an e-mail
 * address, a file number) could otherwise ride into the chain, where no erasure can reach it.
 */
export function requestIdCheck(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    if (given === undefined || (typeof given === 'string' && UUID.test(given))) return next();
    res
      .status(400)
      .type(PROBLEM_CONTENT_TYPE)
      .json({
        type: problemType('invalid-request-id'),
        title: 'The request id is not valid',
        status: 400,
        detail:
          'X-Request-Id must be a UUID (e.g. from crypto.randomUUID()), or left out; it is recorded with the events and must not carry anything else.',
        errors: [{ field: 'X-Request-Id', message: 'must be a UUID' }],
      });
  };
}
