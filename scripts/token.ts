/**
 * Prints a bearer token for a seeded organisation, for trying the API by hand:
 *
 *   npm run token -- <organisation-id> [role]
 *   curl -H "Authorization: Bearer $(npm run -s token -- vt-kennemerland team-lead)" localhost:3000/organisations
 *
 * The token is a real one of the development OpenID Provider that `npm start` runs
 * (DEV_OIDC_ISSUER, default http://localhost:3001): the client-credentials grant of its demo
 * client `<role>@<organisation-id>`. It lasts an hour.
 * Exit code 2 for a wrong organisation or role, 1 when the provider cannot be reached.
 */
import { ACTOR_ROLES, isActorRole, ORGANISATIONS, findOrganisation } from '@warm-handover/domain';
import { clientCredentialsToken, devOidcIssuer } from '@warm-handover/infra';

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
  const issuer = devOidcIssuer();
  const token = await clientCredentialsToken(issuer, `${role}@${organisation}`).catch((error: unknown) => {
    process.stderr.write(
      `No token from the development OpenID Provider at ${issuer} (${error instanceof Error ? error.message : String(error)}).\n` +
        'Is `npm start` running? Set DEV_OIDC_ISSUER if it runs elsewhere.\n',
    );
    process.exit(1);
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
