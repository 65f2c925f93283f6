import { once } from 'node:events';
import type { Client, Connection, Submittable } from 'pg';

/** The parts of pg's connection that COPY FROM STDIN uses (present in pg, absent from its types). */
interface CopyConnection extends Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY … FROM STDIN` with plain `pg` (no pg-copy-streams): a query object that pg drives through
 * the protocol, writing the chunks `produce` yields with the socket's backpressure respected.
 * Resolves with the number of rows copied.
 */
export function copyFrom(client: Client, sql: string, produce: () => Iterable<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    let rows = 0;
    const query: Submittable & Record<string, unknown> = {
      submit(connection: Connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: CopyConnection) {
        void (async () => {
          try {
            for (const chunk of produce()) {
              connection.sendCopyFromChunk(Buffer.from(chunk));
              if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
            }
            connection.endCopyFrom();
          } catch (error) {
            connection.sendCopyFail(error instanceof Error ? error.message : String(error));
          }
        })();
      },
      handleCommandComplete(message: { text?: string }) {
        rows = Number(/COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
      },
      handleError(error: Error) {
        failure = error;
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    void client.query(query);
  });
}

/** A value in COPY's text format: backslashes doubled; tabs and newlines never occur in our JSON. */
export function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\');
}
