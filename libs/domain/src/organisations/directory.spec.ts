import { DIRECTORY_VERSION, ORGANISATIONS, findOrganisation, ladderOf, organisationsOfKind } from './directory';
import { ESCALATION_ROLES, isEscalationRole, ORGANISATION_KINDS, type OrganisationKind } from './organisation';

/** DOMAIN.md, "Organisations", written out so a change to either is seen. */
const VEILIG_THUIS_REGIONS = [
  'Groningen',
  'Friesland',
  'Drenthe',
  'IJsselland',
  'Twente',
  'Noord- en Oost-Gelderland',
  'Gelderland-Midden',
  'Gelderland-Zuid',
  'Utrecht',
  'Noord-Holland-Noord',
  'Zaanstreek-Waterland',
  'Kennemerland',
  'Amsterdam-Amstelland',
  'Gooi en Vechtstreek',
  'Flevoland',
  'Haaglanden',
  'Hollands Midden',
  'Rotterdam Rijnmond',
  'Zuid-Holland-Zuid',
  'Zeeland',
  'West-Brabant',
  'Midden-Brabant',
  'Brabant-Noordoost',
  'Brabant-Zuidoost',
  'Limburg-Noord',
  'Zuid-Limburg',
];

const POLICE_UNITS = [
  'Noord-Nederland',
  'Oost-Nederland',
  'Midden-Nederland',
  'Noord-Holland',
  'Amsterdam',
  'Den Haag',
  'Rotterdam',
  'Zeeland-West-Brabant',
  'Oost-Brabant',
  'Limburg',
];

const DOMAIN_EXAMPLE_IDS = [
  'vt-kennemerland',
  'vt-amsterdam-amstelland',
  'vt-noord-en-oost-gelderland',
  'vt-gooi-en-vechtstreek',
  'politie-noord-holland',
  'politie-amsterdam',
  'politie-zeeland-west-brabant',
  'gemeente-haarlemmermeer',
  'gemeente-amsterdam',
  'gemeente-heerlen',
  'gemeente-dordrecht',
];

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** DOMAIN.md's slug rule: lowercase ASCII, words joined by '-'. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const areasOf = (kind: OrganisationKind) => organisationsOfKind(kind).map((o) => o.area);

describe('organisations directory', () => {
  it('given the directory, when counted, then it has the 26 Veilig Thuis regions of DOMAIN.md', () => {
    expect(VEILIG_THUIS_REGIONS).toHaveLength(26);
    expect(areasOf('veilig-thuis')).toEqual(VEILIG_THUIS_REGIONS);
    expect(organisationsOfKind('veilig-thuis').map((o) => o.name)).toEqual(
      VEILIG_THUIS_REGIONS.map((region) => `Veilig Thuis ${region}`),
    );
  });

  it('given the directory, when counted, then it has the 10 police units of DOMAIN.md', () => {
    expect(POLICE_UNITS).toHaveLength(10);
    expect(areasOf('police')).toEqual(POLICE_UNITS);
    expect(findOrganisation('politie-noord-holland')?.name).toBe('Politie eenheid Noord-Holland');
  });

  it('given the Veilig Thuis regions and police units, when their ids are read, then each is the slug of kind and area', () => {
    for (const o of organisationsOfKind('veilig-thuis')) expect(o.id).toBe(`vt-${slug(o.area ?? '')}`);
    for (const o of organisationsOfKind('police')) expect(o.id).toBe(`politie-${slug(o.area ?? '')}`);
    expect(findOrganisation('vt-ijsselland')?.name).toBe('Veilig Thuis IJsselland');
  });

  it('given the organisation kinds, when the directory is searched, then each kind has at least one organisation', () => {
    for (const kind of ORGANISATION_KINDS) expect(organisationsOfKind(kind).length).toBeGreaterThan(0);
  });

  it('given every organisation, when the ids are compared, then they are unique lowercase ASCII slugs', () => {
    const ids = ORGANISATIONS.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(SLUG);
  });

  it.each(DOMAIN_EXAMPLE_IDS)('given the DOMAIN.md example id %s, when looked up, then it is found', (id) => {
    expect(findOrganisation(id)?.id).toBe(id);
  });

  it('given every organisation, when its ladder is read, then it has 4 steps, levels 0..3 in ESCALATION_ROLES order, each with a title', () => {
    for (const o of ORGANISATIONS) {
      expect(o.ladder.map((step) => step.level)).toEqual([0, 1, 2, 3]);
      expect(o.ladder.map((step) => step.role)).toEqual([...ESCALATION_ROLES]);
      for (const step of o.ladder) expect(step.title.trim()).not.toBe('');
    }
  });

  it('given a police unit, when its ladder is read, then it uses the police titles from Wijkagent to Eenheidschef', () => {
    expect(ladderOf('politie-amsterdam')?.map((step) => step.title)).toEqual([
      'Wijkagent',
      'Teamchef',
      'Districtschef',
      'Eenheidschef',
    ]);
  });

  it('given links to a Veilig Thuis region, police unit or municipality, when resolved, then each names an organisation of that kind', () => {
    for (const o of ORGANISATIONS) {
      if (o.veiligThuisRegion !== undefined) expect(findOrganisation(o.veiligThuisRegion)?.kind).toBe('veilig-thuis');
      if (o.policeUnit !== undefined) expect(findOrganisation(o.policeUnit)?.kind).toBe('police');
      if (o.municipality !== undefined) expect(findOrganisation(o.municipality)?.kind).toBe('municipality');
    }
    expect(organisationsOfKind('veilig-thuis').every((o) => o.policeUnit !== undefined)).toBe(true);
  });

  it('given case 1 of the seeds, when its organisations are looked up, then Kennemerland and Amsterdam-Amstelland sit in different police units', () => {
    expect(findOrganisation('vt-kennemerland')?.policeUnit).toBe('politie-noord-holland');
    expect(findOrganisation('vt-amsterdam-amstelland')?.policeUnit).toBe('politie-amsterdam');
    expect(findOrganisation('gemeente-haarlemmermeer')?.veiligThuisRegion).toBe('vt-kennemerland');
    expect(findOrganisation('lokaal-team-haarlemmermeer')?.municipality).toBe('gemeente-haarlemmermeer');
  });

  it('given an unknown id, when looked up, then there is no organisation and no ladder', () => {
    expect(findOrganisation('vt-atlantis')).toBeUndefined();
    expect(ladderOf('vt-atlantis')).toBeUndefined();
  });

  it('given the directory, when someone tries to change it, then it is frozen', () => {
    const kennemerland = findOrganisation('vt-kennemerland')!;
    expect(Object.isFrozen(ORGANISATIONS)).toBe(true);
    expect(Object.isFrozen(kennemerland)).toBe(true);
    expect(Object.isFrozen(kennemerland.ladder)).toBe(true);
    expect(Object.isFrozen(kennemerland.ladder[0])).toBe(true);
  });

  it('given the directory version, when read, then it is a date with a revision', () => {
    expect(DIRECTORY_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  it('given role names, when checked, then only the four escalation roles pass', () => {
    expect(ESCALATION_ROLES.every(isEscalationRole)).toBe(true);
    expect(isEscalationRole('inspector')).toBe(false);
    expect(isEscalationRole(3)).toBe(false);
  });
});
