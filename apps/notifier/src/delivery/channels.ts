import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
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
    await this.transport.sendMail(message);
  }

  close(): void {
    this.transport.close();
  }
}

/** Signs and POSTs a JSON notice; any 2xx answer is a delivery, anything else a failed attempt. */
export async function postWebhook(
  url: string,
  secret: string,
  id: string,
  payload: unknown,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<void> {
  const body = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [WEBHOOK_HEADERS.id]: id,
      [WEBHOOK_HEADERS.timestamp]: String(nowSeconds),
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, nowSeconds, body),
    },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  // The answer's body is the receiver's business and never recorded: only its status.
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}`);
}
