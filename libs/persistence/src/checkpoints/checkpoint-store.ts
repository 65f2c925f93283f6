import type { DataSource } from 'typeorm';

/** Where a consumer of the event store (the outbox relay, a projector) has got to. */
export class CheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(consumer: string): Promise<number> {
    const rows: { position: string }[] = await this.dataSource.query(
      'SELECT position FROM consumer_checkpoints WHERE consumer = $1',
      [consumer],
    );
    return rows[0] ? Number(rows[0].position) : 0;
  }

  /** Moves the checkpoint forward; never backwards, so a slow duplicate run cannot rewind it. */
  async save(consumer: string, position: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO consumer_checkpoints (consumer, position) VALUES ($1, $2)
       ON CONFLICT (consumer) DO UPDATE
         SET position = GREATEST(consumer_checkpoints.position, EXCLUDED.position), updated_at = clock_timestamp()`,
      [consumer, position],
    );
  }
}
