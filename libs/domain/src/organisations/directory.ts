import type { EscalationLadder, Organisation, OrganisationKind } from './organisation';

/**
 * Changes whenever an organisation, a link or a ladder title below changes. A handover records
 * the version it froze its escalation ladders from, so a later change to the directory cannot
 * rewrite who should have been told.
 */
export const DIRECTORY_VERSION = '2026-11-22.1';

type Titles = readonly [professional: string, teamLead: string, manager: string, director: string];

function ladder([professional, teamLead, manager, director]: Titles): EscalationLadder {
  return Object.freeze(
    [
      { level: 0, role: 'professional', title: professional },
      { level: 1, role: 'team-lead', title: teamLead },
      { level: 2, role: 'manager', title: manager },
      { level: 3, role: 'director', title: director },
    ].map((step) => Object.freeze(step)),
  ) as EscalationLadder;
}

/** The job titles each kind of organisation escalates along (R3; 004 is signed by a directeur-bestuurder). */
const LADDERS: Readonly<Record<OrganisationKind, EscalationLadder>> = {
  'veilig-thuis': ladder(['Medewerker Veilig Thuis', 'Teamleider', 'Manager', 'Directeur-bestuurder']),
  police: ladder(['Wijkagent', 'Teamchef', 'Districtschef', 'Eenheidschef']),
  // The top of a municipality's line is political: the alderman for youth (000 addresses one).
  municipality: ladder(['Consulent jeugd', 'Teamleider', 'Afdelingsmanager', 'Wethouder jeugd']),
  'local-team': ladder(['Jeugd- en gezinswerker', 'Teamleider', 'Manager', 'Bestuurder']),
  'child-protection-board': ladder(['Raadsonderzoeker', 'Teamleider', 'Regiomanager', 'Algemeen directeur']),
  'mental-health-care': ladder(['Behandelaar', 'Teamleider', 'Manager zorg', 'Bestuurder']),
  'gp-post': ladder(['Huisarts', 'Teamleider', 'Manager', 'Directeur']),
  'womens-shelter': ladder(['Hulpverlener', 'Teamleider', 'Manager', 'Bestuurder']),
  inspectorate: ladder(['Inspecteur', 'Teamleider', 'Hoofdinspecteur', 'Inspecteur-generaal']),
};

/** The 10 police units: id and unit name. */
const POLICE_UNITS = [
  ['politie-noord-nederland', 'Noord-Nederland'],
  ['politie-oost-nederland', 'Oost-Nederland'],
  ['politie-midden-nederland', 'Midden-Nederland'],
  ['politie-noord-holland', 'Noord-Holland'],
  ['politie-amsterdam', 'Amsterdam'],
  ['politie-den-haag', 'Den Haag'],
  ['politie-rotterdam', 'Rotterdam'],
  ['politie-zeeland-west-brabant', 'Zeeland-West-Brabant'],
  ['politie-oost-brabant', 'Oost-Brabant'],
  ['politie-limburg', 'Limburg'],
] as const;

type PoliceUnitId = (typeof POLICE_UNITS)[number][0];

/** The 26 Veilig Thuis regions: id, region name, and the police unit covering the region. */
const VEILIG_THUIS_REGIONS: readonly (readonly [id: string, region: string, policeUnit: PoliceUnitId])[] = [
  ['vt-groningen', 'Groningen', 'politie-noord-nederland'],
  ['vt-friesland', 'Friesland', 'politie-noord-nederland'],
  ['vt-drenthe', 'Drenthe', 'politie-noord-nederland'],
  ['vt-ijsselland', 'IJsselland', 'politie-oost-nederland'],
  ['vt-twente', 'Twente', 'politie-oost-nederland'],
  ['vt-noord-en-oost-gelderland', 'Noord- en Oost-Gelderland', 'politie-oost-nederland'],
  ['vt-gelderland-midden', 'Gelderland-Midden', 'politie-oost-nederland'],
  ['vt-gelderland-zuid', 'Gelderland-Zuid', 'politie-oost-nederland'],
  ['vt-utrecht', 'Utrecht', 'politie-midden-nederland'],
  ['vt-noord-holland-noord', 'Noord-Holland-Noord', 'politie-noord-holland'],
  ['vt-zaanstreek-waterland', 'Zaanstreek-Waterland', 'politie-noord-holland'],
  ['vt-kennemerland', 'Kennemerland', 'politie-noord-holland'],
  ['vt-amsterdam-amstelland', 'Amsterdam-Amstelland', 'politie-amsterdam'],
  ['vt-gooi-en-vechtstreek', 'Gooi en Vechtstreek', 'politie-midden-nederland'],
  ['vt-flevoland', 'Flevoland', 'politie-midden-nederland'],
  ['vt-haaglanden', 'Haaglanden', 'politie-den-haag'],
  ['vt-hollands-midden', 'Hollands Midden', 'politie-den-haag'],
  ['vt-rotterdam-rijnmond', 'Rotterdam Rijnmond', 'politie-rotterdam'],
  ['vt-zuid-holland-zuid', 'Zuid-Holland-Zuid', 'politie-rotterdam'],
  ['vt-zeeland', 'Zeeland', 'politie-zeeland-west-brabant'],
  ['vt-west-brabant', 'West-Brabant', 'politie-zeeland-west-brabant'],
  ['vt-midden-brabant', 'Midden-Brabant', 'politie-zeeland-west-brabant'],
  ['vt-brabant-noordoost', 'Brabant-Noordoost', 'politie-oost-brabant'],
  ['vt-brabant-zuidoost', 'Brabant-Zuidoost', 'politie-oost-brabant'],
  ['vt-limburg-noord', 'Limburg-Noord', 'politie-limburg'],
  ['vt-zuid-limburg', 'Zuid-Limburg', 'politie-limburg'],
];

/**
 * The municipalities of the seed cases and the Veilig Thuis region and police unit they lie in.
 * Haarlemmerliede en Spaarnwoude (case 1, seed 000) merged into Haarlemmermeer in 2019.
 */
const MUNICIPALITIES = [
  { id: 'gemeente-amsterdam', area: 'Amsterdam', vt: 'vt-amsterdam-amstelland', police: 'politie-amsterdam' },
  { id: 'gemeente-haarlemmermeer', area: 'Haarlemmermeer', vt: 'vt-kennemerland', police: 'politie-noord-holland' },
  { id: 'gemeente-dordrecht', area: 'Dordrecht', vt: 'vt-zuid-holland-zuid', police: 'politie-rotterdam' },
  { id: 'gemeente-heerlen', area: 'Heerlen', vt: 'vt-zuid-limburg', police: 'politie-limburg' },
] as const satisfies readonly { id: string; area: string; vt: string; police: PoliceUnitId }[];

type Municipality = (typeof MUNICIPALITIES)[number];

const MUNICIPALITY_BY_ID = Object.fromEntries(MUNICIPALITIES.map((m) => [m.id, m])) as Record<
  Municipality['id'],
  Municipality
>;

/**
 * One local (youth) team per seed municipality: the receivers of most Veilig Thuis handovers
 * (000, 001, 004). In Dordrecht the teams are run by Stichting Jeugdteams (001).
 */
const LOCAL_TEAMS = [
  { id: 'lokaal-team-amsterdam', name: 'Lokaal team Amsterdam', municipality: 'gemeente-amsterdam' },
  { id: 'lokaal-team-haarlemmermeer', name: 'Lokaal team Haarlemmermeer', municipality: 'gemeente-haarlemmermeer' },
  { id: 'lokaal-team-dordrecht', name: 'Jeugdteam Dordrecht', municipality: 'gemeente-dordrecht' },
  { id: 'lokaal-team-heerlen', name: 'Lokaal team Heerlen', municipality: 'gemeente-heerlen' },
] as const satisfies readonly { id: string; name: string; municipality: Municipality['id'] }[];

function organisation(fields: Omit<Organisation, 'ladder'>): Organisation {
  return Object.freeze({ ...fields, ladder: LADDERS[fields.kind] });
}

/** Every organisation the service knows, Veilig Thuis regions and police units first. */
export const ORGANISATIONS: readonly Organisation[] = Object.freeze([
  ...VEILIG_THUIS_REGIONS.map(([id, region, policeUnit]) =>
    organisation({ id, kind: 'veilig-thuis', name: `Veilig Thuis ${region}`, area: region, policeUnit }),
  ),
  ...POLICE_UNITS.map(([id, unit]) =>
    organisation({ id, kind: 'police', name: `Politie eenheid ${unit}`, area: unit, policeUnit: id }),
  ),
  ...MUNICIPALITIES.map(({ id, area, vt, police }) =>
    organisation({
      id,
      kind: 'municipality',
      name: `Gemeente ${area}`,
      area,
      veiligThuisRegion: vt,
      policeUnit: police,
    }),
  ),
  ...LOCAL_TEAMS.map(({ id, name, municipality }) => {
    const { area, vt, police } = MUNICIPALITY_BY_ID[municipality];
    return organisation({
      id,
      kind: 'local-team',
      name,
      area,
      municipality,
      veiligThuisRegion: vt,
      policeUnit: police,
    });
  }),
  // National: investigates on request of Veilig Thuis, and may reject a request (002 §2.5, R2).
  organisation({
    id: 'raad-voor-de-kinderbescherming',
    kind: 'child-protection-board',
    name: 'Raad voor de Kinderbescherming',
  }),
  // Women's shelter in the Amsterdam network of local teams (case 1, seed 000).
  organisation({ id: 'blijfgroep', kind: 'womens-shelter', name: 'BlijfGroep' }),
  // Adult mental-health care and the out-of-hours GP post of case 2 (seed 001, Zuid-Holland-Zuid).
  organisation({ id: 'ggz-yulius', kind: 'mental-health-care', name: 'Yulius' }),
  organisation({
    id: 'huisartsenpost-drechtsteden',
    kind: 'gp-post',
    name: 'Huisartsenpost Drechtsteden',
    area: 'Drechtsteden',
    veiligThuisRegion: 'vt-zuid-holland-zuid',
    policeUnit: 'politie-rotterdam',
  }),
  // The inspectorates that reconstruct a case after a calamity (R10; seeds 000, 001, 003).
  organisation({
    id: 'inspectie-gezondheidszorg-en-jeugd',
    kind: 'inspectorate',
    name: 'Inspectie Gezondheidszorg en Jeugd',
  }),
  organisation({
    id: 'inspectie-justitie-en-veiligheid',
    kind: 'inspectorate',
    name: 'Inspectie Justitie en Veiligheid',
  }),
]);

const BY_ID: ReadonlyMap<string, Organisation> = new Map(ORGANISATIONS.map((o) => [o.id, o]));

/** Every organisation id of the directory: what an organisation field of a request may name. */
export const ORGANISATION_IDS: readonly string[] = Object.freeze(ORGANISATIONS.map((o) => o.id));

export function findOrganisation(id: string): Organisation | undefined {
  return BY_ID.get(id);
}

/** The escalation ladder of an organisation, or undefined when the id is not in the directory. */
export function ladderOf(id: string): EscalationLadder | undefined {
  return BY_ID.get(id)?.ladder;
}

export function organisationsOfKind(kind: OrganisationKind): readonly Organisation[] {
  return ORGANISATIONS.filter((o) => o.kind === kind);
}
