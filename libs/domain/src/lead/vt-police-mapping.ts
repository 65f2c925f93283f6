import { ORGANISATIONS } from '../organisations/directory';

/**
 * Which police unit's working area each Veilig Thuis region lies in: the data behind the
 * LeadRegionMismatch check (R4). Versioned so a recorded mismatch can say which mapping it used.
 * The mapping itself lives with the organisations in the directory (`policeUnit`).
 */
export const VT_POLICE_MAPPING_VERSION = '2026-11-22.1';

export const VT_POLICE_MAPPING: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    ORGANISATIONS.filter((o) => o.kind === 'veilig-thuis' && o.policeUnit).map((o) => [o.id, o.policeUnit!]),
  ),
);
