import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException } from './problem-details.filter';
import { problemType } from './problem-details';

/**
 * Bodies are checked against their DTO: unknown fields, wrong types and bad values are a 400
 * problem that lists every field and what is wrong with it, before anything runs.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new ProblemException({
        type: problemType('invalid-body'),
        title: 'The request body is not valid',
        status: 400,
        detail: `Correct these fields and send the request again: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
        errors: fieldErrors,
      });
    },
  });
}

function flatten(errors: readonly ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ')
        ? `unknown field; remove it (see /docs for the fields this request takes)`
        : message,
    }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}
