/**
 * A local SMTP server that accepts every message and writes it, parsed, as one JSON file per
 * message into a directory: the "mailbox" that `npm start`'s demo prints and that the notifier's
 * tests read. Run as its own process (scripts/infra/smtp-capture.ts starts it), so the notifier
 * talks real SMTP over a socket to something it cannot share memory with.
 *
 *   tsx scripts/infra/smtp-capture-server.ts <directory> <port>
 *
 * Prints `listening <port>` once it accepts connections. Development and tests only: no TLS,
 * no authentication, loopback only.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const [dir, portArg] = process.argv.slice(2);
if (!dir || !portArg) {
  process.stderr.write('usage: smtp-capture-server.ts <directory> <port>\n');
  process.exit(64);
}
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const captured = {
          messageId: mail.messageId,
          from: mail.from?.text,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject,
          text: mail.text,
          html: typeof mail.html === 'string' ? mail.html : undefined,
          headers: Object.fromEntries(
            [...mail.headers].map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
          ),
          receivedAt: new Date().toISOString(),
        };
        const name = `${Date.now()}-${String(++count).padStart(5, '0')}.json`;
        // Written under a temporary name and renamed, so a reader never sees half a message.
        writeFileSync(join(dir, `.${name}`), JSON.stringify(captured, null, 2));
        renameSync(join(dir, `.${name}`), join(dir, name));
        callback();
      })
      .catch((error: unknown) => callback(error as Error));
  },
});

server.listen(Number(portArg), '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : portArg}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
