import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT_BY_NATURE = 'warm-handover:idempotent-by-nature';

/**
 * For a POST that records at most one fact whatever how often it is sent (its event id is
 * derived from the target), so it needs no Idempotency-Key: an HTML form, such as the
 * acknowledgement of a notice, cannot send one. A key that is sent is still honoured.
 */
export const IdempotentByNature = (): MethodDecorator => SetMetadata(IDEMPOTENT_BY_NATURE, true);
