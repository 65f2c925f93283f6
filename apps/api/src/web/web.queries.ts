import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@warm-handover/contracts';

/** A case an inspector's search found, with when its first and last events were recorded. */
export interface CaseHit {
  readonly caseId: string;
  readonly firstAt: string;
  readonly lastAt: string;
}

/**
 * Which cases a page must look at: the reads "Mijn werk" and the inspector's search need beyond
 * what CaseAccess reads per case. Only ids come from here; every case is then read through
 * CaseAccess, so access is still checked in one place.
 */
@Injectable()
export class WebQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The cases on `actor`'s list: for a professional those with a handover to or from the
   * organisation or a lead negotiation it is named in; for a team lead, manager or director
   * those with an escalation notice to that rung of the organisation.
   */
  async casesFor(actor: Actor): Promise<string[]> {
    const rows: { case_id: string }[] =
      actor.role === 'professional'
        ? await this.dataSource.query(
            `SELECT DISTINCT metadata->>'caseId' AS case_id FROM events
              WHERE (event_type = 'HandoverRequested' AND (data->>'fromOrg' = $1 OR data->>'toOrg' = $1))
                 OR (event_type = 'LeadNegotiationOpened' AND data->'parties' ? $1)`,
            [actor.organisation],
          )
        : await this.dataSource.query(
            `SELECT DISTINCT metadata->>'caseId' AS case_id FROM events
              WHERE event_type IN ('NoticeSent', 'NoticeFailed', 'NoticeAttemptFailed')
                AND data->'recipient'->>'organisation' = $1 AND data->'recipient'->>'role' = $2`,
            [actor.organisation, actor.role],
          );
    return rows.map((r) => r.case_id).filter((id): id is string => typeof id === 'string');
  }

  /** Cases by id, by an organisation that took part, and by a period in which something was recorded. */
  async searchCases(filter: {
    caseId?: string;
    organisation?: string;
    from?: string;
    until?: string;
    limit: number;
  }): Promise<CaseHit[]> {
    const where = [`metadata->>'caseId' IS NOT NULL`];
    const params: unknown[] = [];
    if (filter.caseId) {
      params.push(filter.caseId);
      where.push(`metadata->>'caseId' = $${params.length}`);
    }
    if (filter.organisation) {
      params.push(filter.organisation);
      const p = `$${params.length}`;
      where.push(
        `metadata->>'caseId' IN (SELECT metadata->>'caseId' FROM events WHERE metadata->'actor'->>'organisation' = ${p}
           OR data->>'fromOrg' = ${p} OR data->>'toOrg' = ${p} OR data->>'organisation' = ${p} OR data->'parties' ? ${p})`,
      );
    }
    const having: string[] = [];
    if (filter.from) {
      params.push(filter.from);
      having.push(`max(recorded_at) >= $${params.length}`);
    }
    if (filter.until) {
      params.push(filter.until);
      having.push(`min(recorded_at) <= $${params.length}`);
    }
    params.push(filter.limit);
    const rows: { case_id: string; first_at: Date; last_at: Date }[] = await this.dataSource.query(
      `SELECT metadata->>'caseId' AS case_id, min(recorded_at) AS first_at, max(recorded_at) AS last_at
         FROM events WHERE ${where.join(' AND ')}
        GROUP BY 1 ${having.length > 0 ? `HAVING ${having.join(' AND ')}` : ''}
        ORDER BY last_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      caseId: r.case_id,
      firstAt: new Date(r.first_at).toISOString(),
      lastAt: new Date(r.last_at).toISOString(),
    }));
  }
}
