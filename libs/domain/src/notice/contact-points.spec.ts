import type { ContactPointEvent } from './contact-point.events';
import { type ContactPointCommand, ContactPointRefused, contactPointsAt, decideContactPoints } from './contact-points';

const ORG = 'vt-kennemerland';
const director = { subject: 'sub-1', organisation: ORG, role: 'director' };

function apply(events: ContactPointEvent[], command: ContactPointCommand): ContactPointEvent[] {
  return [...events, ...decideContactPoints(command, events)];
}

describe('contact points', () => {
  const added = apply([], {
    type: 'AddContactPoint',
    contactPointId: 'cp-1',
    organisation: ORG,
    role: 'team-lead',
    email: 'Teamleiding@VT-Kennemerland.example',
    actor: director,
    now: '2026-11-01T09:00:00Z',
  });
  const replaced = apply(added, {
    type: 'ReplaceContactPoint',
    contactPointId: 'cp-1',
    organisation: ORG,
    role: 'team-lead',
    email: 'teamleiding-jeugd@vt-kennemerland.example',
    actor: director,
    now: '2026-11-10T09:00:00Z',
  });
  const retired = apply(replaced, {
    type: 'RetireContactPoint',
    contactPointId: 'cp-1',
    organisation: ORG,
    actor: director,
    now: '2026-11-20T09:00:00Z',
  });

  it('given an added, replaced and retired contact point, when asked at moments in between, then each moment shows the version then in force', () => {
    expect(contactPointsAt(retired, '2026-10-31T00:00:00Z')).toEqual([]);
    expect(contactPointsAt(retired, '2026-11-05T00:00:00Z')).toEqual([
      expect.objectContaining({
        version: 1,
        email: 'teamleiding@vt-kennemerland.example',
        since: '2026-11-01T09:00:00Z',
      }),
    ]);
    expect(contactPointsAt(retired, '2026-11-15T00:00:00Z')).toEqual([
      expect.objectContaining({ version: 2, email: 'teamleiding-jeugd@vt-kennemerland.example' }),
    ]);
    expect(contactPointsAt(retired)).toEqual([]);
    expect(retired.map((e) => [e.type, e.data.version])).toEqual([
      ['ContactPointAdded', 1],
      ['ContactPointReplaced', 2],
      ['ContactPointRetired', 3],
    ]);
  });

  it.each([
    [{ ...director, role: 'team-lead' }, 'forbidden'],
    [{ ...director, organisation: 'vt-amsterdam-amstelland' }, 'forbidden'],
    [{ ...director, role: 'inspector' }, 'forbidden'],
  ])('given actor %j, when it adds a contact point, then it is refused as %s', (actor, code) => {
    expect(() =>
      decideContactPoints(
        {
          type: 'AddContactPoint',
          contactPointId: 'cp-2',
          organisation: ORG,
          role: 'manager',
          email: 'm@x.example',
          actor,
          now: '2026-11-01T09:00:00Z',
        },
        [],
      ),
    ).toThrow(expect.objectContaining({ code }) as Error);
  });

  it.each([
    [{ email: undefined, webhookUrl: undefined }, /email, a webhookUrl, or both/],
    [{ webhookUrl: 'http://meldingen.vt-kennemerland.example/hook' }, /https/],
    [{ webhookUrl: 'https://user:pw@meldingen.example/hook' }, /https/],
    [{ webhookUrl: 'not a url' }, /https/],
    [{ role: 'secretary' }, /role must be one of/],
  ])('given %j, when a contact point is added, then the refusal says what to give instead', (fields, message) => {
    const command = {
      type: 'AddContactPoint' as const,
      contactPointId: 'cp-3',
      organisation: ORG,
      role: 'manager',
      actor: director,
      now: '2026-11-01T09:00:00Z',
      ...fields,
    };
    expect(() => decideContactPoints(command, [])).toThrow(message);
  });

  it('given a webhook on this machine, when it is added, then plain http is allowed for it', () => {
    const [event] = decideContactPoints(
      {
        type: 'AddContactPoint',
        contactPointId: 'cp-4',
        organisation: ORG,
        role: 'manager',
        webhookUrl: 'http://127.0.0.1:8080/hook',
        actor: director,
        now: '2026-11-01T09:00:00Z',
      },
      [],
    );
    expect(event?.data).toMatchObject({ webhookUrl: 'http://127.0.0.1:8080/hook', version: 1 });
  });

  it('given a retired contact point, when it is replaced or retired again, then that is refused as not found', () => {
    const again = {
      type: 'RetireContactPoint' as const,
      contactPointId: 'cp-1',
      organisation: ORG,
      actor: director,
      now: '2026-11-21T09:00:00Z',
    };
    expect(() => decideContactPoints(again, retired)).toThrow(ContactPointRefused);
    expect(() => decideContactPoints({ ...again, organisation: 'nowhere' }, retired)).toThrow(/No organisation/);
  });
});
