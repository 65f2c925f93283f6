import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { subjectPseudonym } from '../../apps/api/src/auth/subject-pseudonym';
import { DEV_SUBJECT_PSEUDONYM_KEY } from '../../libs/platform/src/config';
import { clientCredentialsToken } from '@warm-handover/infra';

export const SENDER = 'vt-kennemerland';
export const RECEIVER = 'vt-amsterdam-amstelland';

/** Deadlines as seconds (the apps run with DEMO_MODE=true) or working days. */
export interface Deadlines {
  readonly receipt?: number | string;
  readonly start?: number | string;
  readonly escalationInterval?: number | string;
}

export interface ApiAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly body: any;
}

export interface ApiRequest {
  readonly method?: string;
  /** Sent as given: no normalisation of `..`, so a drill can send what a hostile client would. */
  readonly path: string;
  /** Organisation to act for; null sends no Authorization header. */
  readonly as?: string | null;
  /** Role of the actor in that organisation; a professional unless given. */
  readonly role?: string;
  /** Serialised as JSON. */
  readonly json?: unknown;
  /** Sent byte for byte, with `content-type: application/json` unless headers say otherwise. */
  readonly raw?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** For a POST: undefined sends a fresh key, null sends none. */
  readonly idempotencyKey?: string | null;
  /** An answer must come within this time, or the request fails (a hung API is a finding). */
  readonly timeoutMs?: number;
}

/**
 * The development OpenID Provider `npm test` runs for the tiers (scripts/test.ts): every token
 * of the e2e and fault tiers comes from it, as an integrating system's would.
 */
export function testIssuer(): string {
  const issuer = process.env.DEV_OIDC_ISSUER;
  if (!issuer) {
    throw new Error(
      'DEV_OIDC_ISSUER is not set: run the e2e and fault tiers through `npm test`, which starts the provider',
    );
  }
  return issuer;
}

/**
 * An access token of the test provider for a system of `organisation` acting in `role` (the
 * client-credentials grant of its demo client `<role>@<organisation>`).
 */
export function providerToken(organisation: string, role = 'professional'): Promise<string> {
  return clientCredentialsToken(testIssuer(), `${role}@${organisation}`);
}

/** The pseudonymous subject the API records for providerToken(organisation, role) (apps run with the dev key). */
export function subjectOf(organisation: string, role = 'professional'): string {
  return subjectPseudonym(DEV_SUBJECT_PSEUDONYM_KEY, testIssuer(), `${role}@${organisation}`);
}

/**
 * The HTTP API of a running service, over node:http rather than fetch, so requests can carry
 * what fetch refuses to send (a body on a GET, raw paths, odd content types).
 */
export class ApiClient {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(readonly baseUrl: string) {}

  token(organisation: string, role = 'professional'): Promise<string> {
    const key = `${organisation} ${role}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = providerToken(organisation, role);
      this.tokens.set(key, token);
    }
    return token;
  }

  get(as: string, path: string, timeoutMs?: number): Promise<ApiAnswer> {
    return this.send({ method: 'GET', path, as, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  post(as: string, path: string, json: unknown, idempotencyKey?: string): Promise<ApiAnswer> {
    return this.send({ method: 'POST', path, as, json, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }

  /**
   * POST /handovers; the answer's body is the handover as requested. Without a case id it
   * registers a new case (the service issues its id: the answer's `caseId`); with one, the case
   * must be one the sender takes part in, and `childIds` names the children to hand over.
   */
  requestHandover(
    deadlines: Deadlines,
    caseId?: string,
    childIds: readonly string[] = [newChildId()],
  ): Promise<ApiAnswer> {
    return this.post(SENDER, '/handovers', {
      ...(caseId ? { caseId } : {}),
      childIds,
      toOrg: RECEIVER,
      reason: 'family-moved',
      deadlines,
    });
  }

  /** POST /cases as `as`: a new case of these children; resolves to the id the service issued. */
  async openCase(as: string, childIds: readonly string[] = [newChildId()]): Promise<string> {
    const answer = await this.post(as, '/cases', { childIds });
    if (answer.status !== 201) throw new Error(`POST /cases answered ${answer.status}: ${answer.text}`);
    return (answer.body as { caseId: string }).caseId;
  }

  async send(req: ApiRequest): Promise<ApiAnswer> {
    const method = req.method ?? 'GET';
    const body =
      req.raw !== undefined
        ? Buffer.from(req.raw)
        : req.json !== undefined
          ? Buffer.from(JSON.stringify(req.json))
          : undefined;
    const headers: Record<string, string> = {
      ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
      ...(req.as ? { authorization: `Bearer ${await this.token(req.as, req.role)}` } : {}),
      ...(method === 'POST' && req.idempotencyKey !== null
        ? { 'idempotency-key': req.idempotencyKey ?? randomUUID() }
        : {}),
      ...req.headers,
    };
    const timeoutMs = req.timeoutMs ?? 60_000;
    const url = new URL(this.baseUrl);
    return new Promise<ApiAnswer>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: url.hostname, port: url.port, method, path: req.path, headers, signal: AbortSignal.timeout(timeoutMs) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? '',
              headers: res.headers,
              text,
              body: parsed,
            });
          });
        },
      );
      outgoing.on('error', (error) =>
        reject(
          error.name === 'AbortError' || error.name === 'TimeoutError'
            ? new Error(`${method} ${req.path.slice(0, 200)} got no answer within ${timeoutMs} ms`)
            : error,
        ),
      );
      outgoing.end(body);
    });
  }
}

/**
 * A case id nobody registered: the service issues case ids (POST /cases, or POST /handovers
 * without one), so this is for asking about a case that does not exist.
 */
export function newCaseId(): string {
  return randomUUID();
}

/** A fresh pseudonymous child id. */
export function newChildId(): string {
  return `child-${randomUUID().slice(0, 8)}`;
}
