/**
 * Prints a bearer token for a seeded organisation, for trying the API by hand:
 *
 *   npm run token -- <organisation-id> [role]
 *   curl -H "Authorization: Bearer $(npm run -s token -- vt-kennemerland team-lead)" localhost:3000/organisations
 *
 * Signed with JWT_SECRET from the environment, else the development secret the API also falls
 * back to outside production. The subject is pseudonymous (`demo:<organisation>:<role>`).
 * Exit code 2 for a wrong organisation, role or secret.
 */
import { ORGANISATIONS, findOrganisation } from '@warm-handover/domain';
// The config module alone: the package's index would load Nest and TypeORM, doubling the start-up.
import { DEV_JWT_SECRET } from '../libs/platform/src/config';
import { ACTOR_ROLES, DEMO_TOKEN_TTL_SECONDS, isActorRole, signToken } from '../apps/api/src/auth/tokens';

const USAGE = 'usage: npm run token -- <organisation-id> [role]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function wrap(words: readonly string[], width = 100): string {
  const lines: string[] = [];
  let line = ' ';
  for (const word of words) {
    if (line.length + word.length + 1 > width) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${word}`;
  }
  return [...lines, line].join('\n');
}

async function main(): Promise<void> {
  const [organisation, role = 'professional', ...rest] = process.argv.slice(2);
  if (organisation === undefined || organisation === '--help' || organisation === '-h' || rest.length > 0) {
    fail(
      `${USAGE}\n  roles: ${ACTOR_ROLES.join(', ')} (default professional)\n  e.g.:  npm run token -- vt-kennemerland team-lead`,
    );
  }
  if (findOrganisation(organisation) === undefined) {
    fail(
      `Unknown organisation ${JSON.stringify(organisation)}. GET /organisations lists every organisation with its ` +
        `ladder (send any token from this command); the ids are:\n${wrap(ORGANISATIONS.map((o) => o.id))}\n${USAGE}`,
    );
  }
  if (!isActorRole(role)) {
    fail(`Unknown role ${JSON.stringify(role)}: use one of ${ACTOR_ROLES.join(', ')}.\n${USAGE}`);
  }
  const secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  if (secret.length < 32) {
    fail('JWT_SECRET is shorter than 32 characters; the API would refuse to start with it. Set the one the API uses.');
  }
  const token = await signToken(
    { subject: `demo:${organisation}:${role}`, organisation, role },
    secret,
    DEMO_TOKEN_TTL_SECONDS,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
