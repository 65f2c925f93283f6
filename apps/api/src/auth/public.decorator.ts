import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'warm-handover:public';

/**
 * Exempts a controller or route from the bearer-token guard. Only for what must answer without
 * an identity (health probes); everything that reads or changes case data stays authenticated.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
