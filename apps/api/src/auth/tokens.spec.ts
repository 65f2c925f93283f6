import { SignJWT } from 'jose';
import type { Actor } from '@warm-handover/contracts';
import { InvalidTokenError, signToken, TOKEN_ISSUER, verifyToken } from './tokens';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2026-11-23T09:00:00Z');
const HOUR = 60 * 60;
const actor: Actor = { subject: 'demo:vt-kennemerland:team-lead', organisation: 'vt-kennemerland', role: 'team-lead' };

async function rejection(token: string, options: { now?: Date; secret?: string } = {}): Promise<string> {
  const error = await verifyToken(token, options.secret ?? SECRET, { now: options.now ?? NOW }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

const key = new TextEncoder().encode(SECRET);

describe('tokens', () => {
  it('given a token signed for an actor, when verified, then the same actor comes back', async () => {
    const token = await signToken(actor, SECRET, HOUR, { now: NOW });

    await expect(verifyToken(token, SECRET, { now: NOW })).resolves.toEqual(actor);
  });

  it('given a token, when decoded, then it carries iss, sub, org, role, iat and exp and nothing else', async () => {
    const token = await signToken(actor, SECRET, 12 * HOUR, { now: NOW });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown);

    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      iss: TOKEN_ISSUER,
      sub: actor.subject,
      org: 'vt-kennemerland',
      role: 'team-lead',
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + 12 * HOUR,
    });
  });

  it('given a token that expired 20 seconds ago, when verified, then the 30 seconds of clock tolerance accept it', async () => {
    const token = await signToken(actor, SECRET, 60, { now: NOW });

    await expect(verifyToken(token, SECRET, { now: new Date(NOW.getTime() + 80_000) })).resolves.toEqual(actor);
  });

  it('given an expired token, when verified, then it is refused saying when it expired and how to get a new one', async () => {
    const token = await signToken(actor, SECRET, HOUR, { now: NOW });

    const message = await rejection(token, { now: new Date(NOW.getTime() + 2 * HOUR * 1000) });

    expect(message).toMatch(/^The bearer token expired at 2026-11-23T10:00:00\.000Z; get a new one/);
    expect(message).toContain('npm run token -- <organisation-id> [role]');
  });

  it('given a token signed with another secret, when verified, then the signature is refused naming JWT_SECRET', async () => {
    const token = await signToken(actor, 'another-secret-of-at-least-thirty-two-chars', HOUR, { now: NOW });

    expect(await rejection(token)).toMatch(/signature does not match this API's JWT_SECRET/);
  });

  it('given a token without exp, when verified, then it is refused because tokens must expire', async () => {
    const token = await new SignJWT({ org: 'vt-kennemerland', role: 'team-lead' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(TOKEN_ISSUER)
      .setSubject('s')
      .sign(key);

    expect(await rejection(token)).toMatch(/has no expiry \(exp\)/);
  });

  it('given a token of another issuer, when verified, then it is refused naming the issuer expected', async () => {
    const token = await new SignJWT({ org: 'vt-kennemerland', role: 'team-lead' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else')
      .setSubject('s')
      .setExpirationTime(NOW.getTime() / 1000 + HOUR)
      .sign(key);

    expect(await rejection(token)).toMatch(/not issued by warm-handover/);
  });

  it('given a token with another algorithm, when verified, then only HS256 is accepted', async () => {
    const token = await new SignJWT({ org: 'vt-kennemerland', role: 'team-lead' })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer(TOKEN_ISSUER)
      .setSubject('s')
      .setExpirationTime(NOW.getTime() / 1000 + HOUR)
      .sign(new TextEncoder().encode(SECRET.repeat(2)));

    expect(await rejection(token)).toMatch(/not signed with HS256/);
  });

  it('given an unsigned token (alg none), when verified, then it is refused', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'none' })}.${encode({ iss: TOKEN_ISSUER, sub: 's', org: 'vt-kennemerland', role: 'director', exp: 9e9 })}.`;

    await rejection(token);
  });

  it('given text that is no JWT, when verified, then it is refused as not a valid JWT', async () => {
    expect(await rejection('not-a-jwt')).toMatch(/^The bearer token is not a valid JWT/);
  });

  it('given a token for an organisation outside the directory, when verified, then it is refused pointing at GET /organisations', async () => {
    const token = await signToken({ ...actor, organisation: 'vt-atlantis' }, SECRET, HOUR, { now: NOW });

    const message = await rejection(token);

    expect(message).toMatch(/organisation \(org\) "vt-atlantis" is not in the organisations directory/);
    expect(message).toContain('GET /organisations');
  });

  it('given a token with a role outside the five, when verified, then it is refused listing the roles', async () => {
    const token = await signToken({ ...actor, role: 'superuser' }, SECRET, HOUR, { now: NOW });

    expect(await rejection(token)).toMatch(
      /role "superuser" is not one of professional, team-lead, manager, director, inspector/,
    );
  });

  it('given a token with an empty subject, when verified, then it is refused', async () => {
    const token = await signToken({ ...actor, subject: '' }, SECRET, HOUR, { now: NOW });

    expect(await rejection(token)).toMatch(/subject \(sub\)/);
  });

  it('given an inspector of the inspectorate, when verified, then the inspector role is accepted', async () => {
    const inspector: Actor = {
      subject: 'demo:inspectie-gezondheidszorg-en-jeugd:inspector',
      organisation: 'inspectie-gezondheidszorg-en-jeugd',
      role: 'inspector',
    };
    const token = await signToken(inspector, SECRET, HOUR, { now: NOW });

    await expect(verifyToken(token, SECRET, { now: NOW })).resolves.toEqual(inspector);
  });
});
