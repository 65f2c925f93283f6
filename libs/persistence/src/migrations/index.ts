import { CreateEventStore1732280000000 } from './1732280000000-create-event-store';
import { CreateIdempotencyKeys1732280100000 } from './1732280100000-create-idempotency-keys';
import { IndexEventsForCaseQueries1732280200000 } from './1732280200000-index-events-for-case-queries';
import { ChainEvents1732280300000 } from './1732280300000-chain-events';
import { CreateContactPointSecrets1732280400000 } from './1732280400000-create-contact-point-secrets';
import { CreateReadAccessLog1732280600000 } from './1732280600000-create-read-access-log';
import { CreateSessions1732281200000 } from './1732281200000-create-sessions';
import { EncryptContactPointSecrets1732281300000 } from './1732281300000-encrypt-contact-point-secrets';
import { IndexListsForCursorPages1732281310000 } from './1732281310000-index-lists-for-cursor-pages';
import { CreateFreeTexts1732281320000 } from './1732281320000-create-free-texts';
import { IssueContactPointSecretFunction1732281330000 } from './1732281330000-issue-contact-point-secret-function';
import { CreateManagementFigures1732281400000 } from './1732281400000-create-management-figures';
import { LeadRoundsInManagementFigures1732281410000 } from './1732281410000-lead-rounds-in-management-figures';
import { AddEventTraceContext1732281500000 } from './1732281500000-add-event-trace-context';

/** Every migration, oldest first. TypeORM runs them; `synchronize` is never used. */
export const MIGRATIONS = [
  CreateEventStore1732280000000,
  CreateIdempotencyKeys1732280100000,
  IndexEventsForCaseQueries1732280200000,
  ChainEvents1732280300000,
  CreateContactPointSecrets1732280400000,
  CreateReadAccessLog1732280600000,
  CreateSessions1732281200000,
  EncryptContactPointSecrets1732281300000,
  IndexListsForCursorPages1732281310000,
  CreateFreeTexts1732281320000,
  IssueContactPointSecretFunction1732281330000,
  CreateManagementFigures1732281400000,
  LeadRoundsInManagementFigures1732281410000,
  AddEventTraceContext1732281500000,
];
