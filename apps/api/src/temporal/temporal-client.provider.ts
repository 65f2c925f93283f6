import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig, temporalClientInterceptors } from '@warm-handover/platform';

/**
 * One Temporal client for the API. The connection is made lazily so the API still starts (and
 * reports Temporal as down on /health) while the Temporal server is unreachable.
 */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  private client: Promise<{ client: Client; connection: Connection }> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async get(): Promise<Client> {
    return (await this.connect()).client;
  }

  /** Asks the Temporal frontend whether it serves requests. */
  async check(): Promise<void> {
    await (await this.connect()).connection.healthService.check({});
  }

  private connect(): Promise<{ client: Client; connection: Connection }> {
    this.client ??= Connection.connect({ address: this.config.TEMPORAL_ADDRESS, connectTimeout: '3 seconds' })
      .then((connection) => ({
        connection,
        client: new Client({
          connection,
          namespace: this.config.TEMPORAL_NAMESPACE,
          interceptors: temporalClientInterceptors(),
        }),
      }))
      .catch((error: unknown) => {
        this.client = undefined;
        throw error;
      });
    return this.client;
  }

  async onApplicationShutdown(): Promise<void> {
    const connected = await this.client?.catch(() => undefined);
    await connected?.connection.close();
  }
}
