import type { DataSource } from 'typeorm';

/** How a read ended: answered, refused (401/403/404), bad input (other 4xx), or failed (5xx). */
export type ReadOutcome = 'allowed' | 'denied' | 'invalid' | 'failed';

/** One read of the API, as recorded. People appear only as pseudonymous subject ids. */
export interface ReadAccess {
  readonly subject: string;
  readonly organisation: string;
  readonly role: string;
  /** The route's pattern, e.g. `/cases/:caseId/state`: what kind of thing was read. */
  readonly route: string;
  /** The path with its query as requested: which thing, at which moment, in which format. */
  readonly path: string;
  readonly caseId?: string;
  readonly format?: string;
  readonly status: number;
  readonly outcome: ReadOutcome;
}

export interface RecordedReadAccess extends ReadAccess {
  readonly id: number;
  readonly readAt: string;
}

export interface ReadAccessFilter {
  readonly caseId?: string;
  /** The reading organisation. */
  readonly organisation?: string;
  /** Inclusive lower and exclusive upper bound of the read time, ISO-8601. */
  readonly from?: string;
  readonly to?: string;
  /** Only reads after this id (the cursor of a page). */
  readonly afterId?: number;
  readonly limit: number;
}

interface Row {
  id: string;
  read_at: Date;
  subject: string;
  organisation: string;
  role: string;
  route: string;
  path: string;
  case_id: string | null;
  format: string | null;
  status: number;
  outcome: ReadOutcome;
}

/** The append-only read access log (migration CreateReadAccessLog): record a read, list reads. */
export class ReadAccessLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(read: ReadAccess): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO read_access_log (subject, organisation, role, route, path, case_id, format, status, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        read.subject.slice(0, 500),
        read.organisation.slice(0, 200),
        read.role.slice(0, 100),
        read.route.slice(0, 500),
        read.path.slice(0, 2000),
        read.caseId?.slice(0, 500) || null,
        read.format?.slice(0, 50) || null,
        read.status,
        read.outcome,
      ],
    );
  }

  /** Reads matching every given filter, oldest first, at most `limit`. */
  async list(filter: ReadAccessFilter): Promise<RecordedReadAccess[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, read_at, subject, organisation, role, route, path, case_id, format, status, outcome
         FROM read_access_log
        WHERE ($1::text IS NULL OR case_id = $1)
          AND ($2::text IS NULL OR organisation = $2)
          AND ($3::timestamptz IS NULL OR read_at >= $3)
          AND ($4::timestamptz IS NULL OR read_at < $4)
          AND id > $6
        ORDER BY id
        LIMIT $5`,
      [
        filter.caseId ?? null,
        filter.organisation ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.limit,
        filter.afterId ?? 0,
      ],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      readAt: r.read_at.toISOString(),
      subject: r.subject,
      organisation: r.organisation,
      role: r.role,
      route: r.route,
      path: r.path,
      ...(r.case_id ? { caseId: r.case_id } : {}),
      ...(r.format ? { format: r.format } : {}),
      status: r.status,
      outcome: r.outcome,
    }));
  }
}
