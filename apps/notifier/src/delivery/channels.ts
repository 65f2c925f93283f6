import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { type AllowedHost, isAllowedHost, isNonPublicAddress } from '@warm-handover/platform';
import { signWebhook, WEBHOOK_HEADERS } from './webhook-signature';

/** Every wait of a delivery is bounded: a hung receiver counts as a failed attempt, not a stuck notifier. */
const TIMEOUT_MS = 20_000;

export interface MailMessage {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Derived from the notice id and repeat: a resend after a crash carries the same one. */
  readonly messageId: string;
  readonly headers: Record<string, string>;
}

/** SMTP through nodemailer; one pooled transport per notifier. */
export class Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(smtpUrl: string) {
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail(message);
    } catch (error) {
      throw mailFailure(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * What went wrong with a webhook delivery, coarsely: this is what is recorded on the case, never
 * the receiver's answer (its body, headers or an error text it chose).
 */
export type WebhookFailure =
  'refused-address' | 'timeout' | 'tls' | 'connection' | 'dns' | 'http-3xx' | 'http-4xx' | 'http-5xx';

/** What went wrong with sending a mail, as coarsely: the mail server's reply text is not recorded. */
export type MailFailure = 'smtp-4xx' | 'smtp-5xx' | 'timeout' | 'tls' | 'connection' | 'dns';

export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    readonly category: MailFailure,
    message: string,
  ) {
    super(`${category}: ${message}`);
  }
}

/** A nodemailer error as a MailDeliveryError: the reply code, never the reply text. */
export function mailFailure(error: unknown): MailDeliveryError {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number' && responseCode >= 400) {
    const category = responseCode >= 500 ? 'smtp-5xx' : 'smtp-4xx';
    return new MailDeliveryError(category, `the mail server answered ${responseCode}`);
  }
  if (code === 'ETIMEDOUT') return new MailDeliveryError('timeout', `no answer within ${TIMEOUT_MS / 1000} s`);
  if (code === 'EDNS') return new MailDeliveryError('dns', 'the mail server name does not resolve');
  if (code === 'ETLS') return new MailDeliveryError('tls', 'the TLS handshake failed');
  return new MailDeliveryError('connection', 'the connection to the mail server failed');
}

export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    readonly category: WebhookFailure,
    message: string,
  ) {
    super(`${category}: ${message}`);
  }
}

export interface WebhookTarget {
  readonly url: string;
  /** The current secret first; during a rotation also the one it replaced (one signature each). */
  readonly secrets: readonly string[];
  /** Loopback, private and link-local hosts the operator allows (WEBHOOK_ALLOWED_HOSTS). */
  readonly allowedHosts: readonly AllowedHost[];
  /** For tests: how the host is resolved (defaults to the system resolver). */
  readonly resolve?: typeof dnsLookup;
}

/**
 * A lookup for the connection that resolves the host once, refuses non-public addresses the
 * operator did not allow, and hands the checked address to the socket: the address checked is
 * the address connected to, so a DNS answer that changes in between (rebinding) cannot slip by.
 */
function guardedLookup(host: string, target: WebhookTarget): LookupFunction {
  const resolve = target.resolve ?? dnsLookup;
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list: LookupAddress[] = Array.isArray(addresses) ? addresses : [];
      const usable = list.filter(
        (a) => !isNonPublicAddress(a.address) || isAllowedHost(target.allowedHosts, host, a.address),
      );
      const chosen = usable[0];
      if (!chosen) {
        return callback(
          new WebhookDeliveryError('refused-address', `${host} resolves to a non-public address only`),
          '',
          0,
        );
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [chosen]);
      callback(null, chosen.address, chosen.family);
    });
  };
}

function categoryOf(error: unknown): WebhookDeliveryError {
  if (error instanceof WebhookDeliveryError) return error;
  const code = (error as { code?: string }).code ?? '';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof WebhookDeliveryError) return cause;
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR' || (error as Error).name === 'TimeoutError')
    return new WebhookDeliveryError('timeout', `no answer within ${TIMEOUT_MS / 1000} s`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new WebhookDeliveryError('dns', 'the host name does not resolve');
  if (/CERT|SSL|TLS|ERR_SSL/i.test(code)) return new WebhookDeliveryError('tls', 'the TLS handshake failed');
  return new WebhookDeliveryError('connection', 'the connection failed');
}

/**
 * Signs and POSTs a JSON notice (Standard Webhooks); any 2xx answer is a delivery, anything else
 * a failed attempt, thrown as a WebhookDeliveryError with a coarse category. Redirects are not
 * followed (a redirect could lead anywhere the check above refuses).
 */
export async function postWebhook(
  target: WebhookTarget,
  id: string,
  payload: unknown,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<void> {
  const url = new URL(target.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address is connected to without a lookup: check it here.
  if (isIP(host) !== 0 && isNonPublicAddress(host) && !isAllowedHost(target.allowedHosts, host)) {
    throw new WebhookDeliveryError('refused-address', `${host} is not a public address`);
  }
  const body = JSON.stringify(payload);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  let status: number;
  try {
    status = await new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [WEBHOOK_HEADERS.id]: id,
            [WEBHOOK_HEADERS.timestamp]: String(nowSeconds),
            [WEBHOOK_HEADERS.signature]: signWebhook(target.secrets, id, nowSeconds, body),
          },
          lookup: guardedLookup(host, target),
          // A fresh connection per delivery: a pooled socket would skip the check.
          agent: false,
          timeout: TIMEOUT_MS,
        },
        (response: IncomingMessage) => {
          // The answer's body is the receiver's business and never read nor recorded: only its status.
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  } catch (error) {
    throw categoryOf(error);
  }
  if (status >= 200 && status < 300) return;
  const family = status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : 'http-3xx';
  throw new WebhookDeliveryError(family, `the webhook answered HTTP ${status}`);
}
