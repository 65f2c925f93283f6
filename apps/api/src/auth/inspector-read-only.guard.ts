import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import type { AuthenticatedRequest } from './current-actor.decorator';

const READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Registered globally after the bearer-token guard: the inspectorate reconstructs cases, it never
 * takes part in them (R10), so an inspector's every command is refused here, in one place, before
 * it reaches a workflow or the idempotency store. The deciders refuse inspectors too.
 */
@Injectable()
export class InspectorReadOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.actor?.role !== 'inspector' || READS.has(request.method)) return true;
    throw new ProblemException({
      type: problemType('inspector-read-only'),
      title: 'Inspectors only read',
      status: 403,
      detail:
        'The inspector role reads any case but changes nothing. Use the GET endpoints (e.g. GET /cases/{caseId}/state or /report); a change is made by an organisation that takes part in the case.',
    });
  }
}
