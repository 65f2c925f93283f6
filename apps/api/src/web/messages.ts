import type { ProblemDetails } from '../http/problem-details';
import { STATUS_NL } from './pages';

/** Dutch field names for the form fields a refusal can name. */
const FIELD_NL: Readonly<Record<string, string>> = {
  childIds: 'kinderen',
  toOrg: 'ontvangende organisatie',
  reason: 'reden',
  plannedStartDate: 'geplande startdatum',
  'deadlines.receipt': 'termijn voor ontvangst',
  'deadlines.start': 'termijn voor de start',
  'deadlines.escalationInterval': 'escalatie-interval',
  organisation: 'organisatie',
  email: 'e-mailadres',
  label: 'naam',
  role: 'trede',
  lead: 'regie bij',
  rationale: 'onderbouwing',
  proposalId: 'voorstel',
  decisionId: 'besluit',
};

/**
 * A refusal of the API as a Dutch sentence for the person at the form: which rule stopped it and
 * what to do. Keyed on the problem's type (and its state and fields), never on its English text.
 */
/** What a form was about, when a refusal reads differently there than for a handover. */
export type RefusalSubject = 'regie';

export function refusalInDutch(problem: ProblemDetails, subject?: RefusalSubject): string {
  const type = problem.type.split('/').pop() ?? '';
  const fields = ((problem as { errors?: readonly { field: string }[] }).errors ?? []).map(
    (e) => FIELD_NL[e.field] ?? e.field,
  );
  const state = (problem as { state?: string }).state;
  if (subject === 'regie' && (type === 'wrong-state' || type === 'conflict'))
    return 'Dat kan nu niet in het regie-overleg: het voorstel of besluit is intussen veranderd, of het is nog niet aan u. Bekijk hieronder wie wat voorstelde, besloot of bevestigde en kies opnieuw; er is niets veranderd.';
  if (subject === 'regie' && type === 'forbidden')
    return 'Uw organisatie of rol mag dit niet doen in het regie-overleg; er is niets veranderd. Alleen partijen in het overleg doen voorstellen, en alleen hun bestuurders nemen of bevestigen een besluit nadat de escalatie de bestuurders bereikte.';
  switch (type) {
    case 'wrong-state':
    case 'conflict':
      return `Dat kan nu niet${state ? `: de overdracht is ${STATUS_NL[state] ?? state}` : ''}. Bekijk de actuele stand en kies opnieuw; er is niets veranderd.`;
    case 'concurrent-change':
      return 'Iemand anders veranderde de casus op hetzelfde moment. Bekijk de actuele stand en probeer het opnieuw; er is niets veranderd.';
    case 'forbidden':
      return 'Uw organisatie of rol mag dit niet doen; er is niets veranderd. Alleen de organisatie die nu verantwoordelijk is draagt een kind over, en alleen de ontvanger bevestigt ontvangst, acceptatie en start.';
    case 'not-found':
      return 'Niet gevonden, of uw organisatie neemt geen deel aan deze casus.';
    case 'personal-data':
      return 'Gebruik alleen pseudoniemen: geen namen, e-mailadressen of BSN-nummers. Er is niets vastgelegd.';
    case 'unknown-organisation':
      return 'Die organisatie staat niet in het register. Kies een organisatie uit de lijst.';
    case 'inspector-read-only':
      return 'Als inspecteur kunt u alleen lezen.';
    case 'invalid-body':
    case 'invalid':
    case 'bad-request':
      return `De invoer klopt niet${fields.length > 0 ? ` (${fields.join(', ')})` : ''}. Verbeter het en verstuur opnieuw; er is niets vastgelegd.`;
    case 'unavailable':
      return 'De dienst is even niet bereikbaar; er is niets veranderd. Probeer het over een ogenblik opnieuw.';
    case 'too-many-requests':
      return 'Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.';
    default:
      return `Dat lukte niet (${problem.status}). Er is niets veranderd; probeer het opnieuw of neem contact op met uw beheerder.`;
  }
}

export const CSRF_REFUSED =
  'Dit formulier hoort niet bij uw sessie of is verlopen. Er is niets veranderd; laad de pagina opnieuw en probeer het nog eens.';

/** What the person sees after a form did its work (Post/Redirect/Get), by a fixed key. */
export const DONE_NL: Readonly<Record<string, string>> = {
  aangevraagd:
    'De overdracht is aangevraagd. Uw organisatie blijft verantwoordelijk tot de ontvanger de start van de zorg bevestigt.',
  ontvangst: 'De ontvangst is bevestigd.',
  acceptatie: 'De overdracht is geaccepteerd.',
  start: 'De start van de zorg is bevestigd: uw organisatie is nu verantwoordelijk voor de kinderen.',
  afwijzing: 'De overdracht is afgewezen. De verzender blijft verantwoordelijk en moet besluiten.',
  intrekking: 'De overdracht is ingetrokken. Uw organisatie blijft verantwoordelijk.',
  'geen-contact': 'Gemeld: geen contact met het gezin. De melding gaat meteen een niveau omhoog.',
  bevestigd: 'De melding is bevestigd.',
  besluit: 'Vastgelegd: uw organisatie houdt de kinderen.',
  betrokken: 'De organisatie is betrokken bij de casus.',
  contactpunt: 'Het contactpunt is opgeslagen.',
  voorstel:
    'Uw voorstel voor de regie is vastgelegd; de andere partijen kunnen het aanvaarden of een tegenvoorstel doen.',
  aanvaard: 'U heeft het voorstel aanvaard. De regie ligt vast zodra alle partijen het aanvaardden.',
  regiebesluit:
    'Uw besluit over de regie is vastgelegd als besluit van uw organisatie. Het geldt zodra de bestuurders van de andere partijen het bevestigen.',
  'regiebesluit-bevestigd':
    'U heeft het besluit bevestigd. De regie ligt vast zodra de bestuurders van alle andere partijen het bevestigden.',
  ingetrokken: 'Het contactpunt is ingetrokken.',
};
