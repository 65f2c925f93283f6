/**
 * Every JSON body the API answers with, under the name its schema has in the OpenAPI document.
 * `npm run openapi:schemas` generates `response-schemas.json` from these types (the types the
 * handlers return are the one source of truth); a unit test fails when the file is out of date.
 */
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import type {
  CaseLeads,
  ContactPoint,
  CaseOwnEvent,
  CaseReport,
  CaseState,
  EscalationRole,
  FamilyOverview,
  HandoverView,
  LeadNegotiationView,
  MeldingView,
  NoticeAcknowledged,
  NoticeAsSeenByOthers,
  NoticeView,
  SafetyAgreementView,
} from '@warm-handover/domain';
import type { RecordedReadAccess } from '@warm-handover/persistence';
import type { HistoryEntry } from '../handovers/handovers.service';

export type { ExportedHead, ManagementFigures, RecordedReadAccess } from '@warm-handover/persistence';
export type { CaseOverview, ResponsibilityAnswer } from '../cases/cases.controller';
export type { HandoverDetails } from '../handovers/handovers.service';
export type { FamilyAnswer } from '../family/family.controller';
export type { ContactPointAnswer } from '../contact-points/contact-points.service';
export type {
  CaseLeads,
  CaseReport,
  CaseState,
  FamilyOverview,
  HandoverView,
  LeadNegotiationView,
  MeldingView,
  SafetyAgreementView,
};

export type HandoverList = HandoverView[];

/** GET /lead-negotiations/{id}: the negotiation and the events it was folded from. */
export type LeadNegotiationDetails = LeadNegotiationView & { readonly history: RecordedEvent[] };
/** GET /cases/{caseId}/safety-agreements. */
export type SafetyAgreementList = SafetyAgreementView[];
/** GET /safety-agreements/{id}: the agreement and the events it was folded from. */
export type SafetyAgreementDetails = SafetyAgreementView & { readonly history: RecordedEvent[] };
/** GET /cases/{caseId}/meldingen. */
export type MeldingList = MeldingView[];
/** GET /meldingen/{id}: the report, its terms and the events they were folded from. */
export type MeldingDetails = MeldingView & { readonly history: RecordedEvent[] };
export type NoticeAcknowledgement = NoticeAcknowledged['data'];

/** POST /cases, /cases/{caseId}/children, /cases/{caseId}/involvements. */
export interface CaseChange {
  readonly caseId: string;
  readonly event: CaseOwnEvent['data'];
}

export interface KeepDecisionAnswer {
  readonly caseId: string;
  readonly decision: CaseOwnEvent['data'];
}

export interface CaseNoticesPage {
  readonly caseId: string;
  readonly notices: (NoticeView | NoticeAsSeenByOthers)[];
  readonly undelivered: number;
  readonly unacknowledged: number;
  /** The cursor of the next page; null on the last. */
  readonly next: string | null;
}

export interface CaseTimelinePage {
  readonly caseId: string;
  readonly events: HistoryEntry[];
  readonly next: string | null;
}

export interface ContactPointsPage {
  readonly organisation: string;
  readonly at: string;
  readonly contactPoints: ContactPoint[];
  readonly missing: EscalationRole[];
  readonly next: string | null;
}

export interface AccessLogPage {
  readonly entries: RecordedReadAccess[];
  readonly limit: number;
  readonly truncated: boolean;
  readonly next: string | null;
}

export interface SessionAnswer extends Actor {
  readonly via: 'session' | 'bearer-token';
  readonly expiresAt?: string;
}

export interface Liveness {
  readonly status: 'ok';
}

/** GET /health: without the operator token only `status`; with it, terminus's details per dependency. */
export interface Readiness {
  readonly status: 'ok' | 'error';
  readonly info?: Record<string, DependencyStatus>;
  readonly error?: Record<string, DependencyStatus>;
  readonly details?: Record<string, DependencyStatus>;
}

export interface DependencyStatus {
  readonly status: 'up' | 'down';
  readonly [detail: string]: unknown;
}

/** The roots of the generated schemas: every name a response in the document refers to. */
export const RESPONSE_SCHEMA_NAMES = [
  'HandoverView',
  'HandoverList',
  'HandoverDetails',
  'CaseChange',
  'KeepDecisionAnswer',
  'CaseOverview',
  'ResponsibilityAnswer',
  'CaseState',
  'CaseLeads',
  'CaseNoticesPage',
  'CaseTimelinePage',
  'CaseReport',
  'LeadNegotiationView',
  'LeadNegotiationDetails',
  'ContactPointsPage',
  'ContactPointAnswer',
  'AccessLogPage',
  'ExportedHead',
  'NoticeAcknowledgement',
  'SafetyAgreementView',
  'SafetyAgreementList',
  'SafetyAgreementDetails',
  'MeldingView',
  'MeldingList',
  'MeldingDetails',
  'ManagementFigures',
  'FamilyOverview',
  'FamilyAnswer',
  'SessionAnswer',
  'Liveness',
  'Readiness',
] as const;

export type ResponseSchemaName = (typeof RESPONSE_SCHEMA_NAMES)[number];
