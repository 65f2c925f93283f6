import { ACTOR_ROLES, actorRoleRefusal } from './actor-roles';
import { organisationsOfKind } from './directory';

describe('actorRoleRefusal', () => {
  it('given an inspectorate, when its member acts as inspector, then nothing is refused', () => {
    for (const inspectorate of organisationsOfKind('inspectorate')) {
      expect(actorRoleRefusal(inspectorate.id, 'inspector')).toBeUndefined();
    }
  });

  it('given any organisation that is not an inspectorate, when someone acts as inspector, then it is refused naming the kind', () => {
    expect(actorRoleRefusal('vt-kennemerland', 'inspector')).toBe(
      'the inspector role belongs to inspectorates only, and Veilig Thuis Kennemerland (vt-kennemerland) is a veilig-thuis organisation',
    );
    expect(actorRoleRefusal('politie-amsterdam', 'inspector')).toMatch(/is a police organisation/);
  });

  it('given a role of the management line, when a member of any organisation acts in it, then nothing is refused', () => {
    for (const role of ACTOR_ROLES.filter((r) => r !== 'inspector')) {
      expect(actorRoleRefusal('vt-kennemerland', role)).toBeUndefined();
      expect(actorRoleRefusal('inspectie-justitie-en-veiligheid', role)).toBeUndefined();
    }
  });

  it('given an unknown organisation or role, when checked, then it is refused saying which', () => {
    expect(actorRoleRefusal('vt-atlantis', 'professional')).toMatch(
      /"vt-atlantis" is not in the organisations directory/,
    );
    expect(actorRoleRefusal('vt-kennemerland', 'admin')).toMatch(/role "admin" is not one of professional, team-lead/);
  });
});
