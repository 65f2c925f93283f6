import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import {
  CHAIN_KIND,
  CHAINS,
  DEADLINE_POLICY,
  type DeadlineKind,
  ISO_DURATION_PATTERN,
  ORGANISATION_IDS,
  ORGANISATIONS,
  PSEUDONYMOUS_ID_PATTERN,
  SAFETY_AGREEMENT_CODES,
} from '@warm-handover/domain';
import { DEADLINE_CONSTRAINT } from '../handovers/handover.dto';
import { IDEMPOTENCY_KEY_HEADER } from '../http/idempotency.interceptor';
import { PSEUDONYMOUS_ID_CONSTRAINT } from '../http/validation';
import { STATUS_TO_HTTP } from '../temporal/workflow-commands';
import { PROBLEM_DETAILS_SCHEMA, problemResponse } from './problem-responses';
import { RESPONSE_SCHEMAS } from './response-schemas.generated';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; required?: string[] };
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};

type ValidatedClass = abstract new (...args: never[]) => unknown;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const REQUEST_ID_HEADER = 'x-request-id';
const UUID_V4_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$';

/**
 * The OpenAPI 3.1 document of the API, served at /docs and /docs/openapi.json. What each route
 * declares (its answers, its specific problems) comes from its decorators; what holds for every
 * route of a kind is added here, next to the globals that cause it, so no route can forget it:
 *
 * - request bodies carry the constraints of the class-validator decorators the validation pipe
 *   enforces (enums, patterns, lengths, formats, required fields, no unknown fields);
 * - every operation can be rate limited (429 with Retry-After), and every one but liveness can
 *   meet an unreachable database or Temporal (503);
 * - a signed-in operation names its security schemes and answers 401 without a valid token;
 *   commands answer 403 to inspectors (read-only) and every refusal a decider can give;
 * - a POST answers the idempotency problems of its Idempotency-Key.
 */
export interface DocumentOptions {
  /** DEMO_MODE: deadlines may also be ISO-8601 durations. */
  readonly demoMode: boolean;
  /** The names of the OIDC_ISSUERS entries with a sign-in client: what `GET /auth/login?issuer=` takes. */
  readonly loginIssuers?: readonly string[];
}

export function buildOpenApiDocument(app: INestApplication, options: DocumentOptions): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('warm-handover')
      .setDescription(
        'Warm handovers and lead assignment between Dutch child-protection organisations. Errors are RFC 9457 problem details (`application/problem+json`, schema `ProblemDetails`).',
      )
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addBearerAuth()
      .addCookieAuth('wh_session')
      .build(),
  );
  const schemas = (document.components!.schemas ??= {}) as Record<string, Schema>;
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS as Record<string, Schema>)) {
    if (schemas[name]) throw new Error(`OpenAPI schema ${name} is both a request DTO and a response type`);
    schemas[name] = schema;
  }
  schemas.ProblemDetails = PROBLEM_DETAILS_SCHEMA as unknown as Schema;
  applyValidationConstraints(schemas, options, validatedClasses(app));
  describeCrossFieldRules(schemas);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) addGlobalAnswers(path, method, operation);
    }
  }
  addLinks(document);
  describeLoginIssuers(document, options.loginIssuers ?? []);
  return document;
}

/**
 * Rules between fields that the validators cannot state and the services enforce (400): written
 * into the schemas, so that a body the document allows is one the API takes.
 */
function describeCrossFieldRules(schemas: Record<string, Schema>): void {
  const negotiation = schemas.OpenNegotiationDto;
  if (!negotiation?.properties?.parties) throw new Error('OpenNegotiationDto has no parties to describe');
  // Two or more different organisations (the decider), all of the chain's kind (LeadsService.open).
  negotiation.properties.parties.uniqueItems = true;
  negotiation.oneOf = CHAINS.map((chain) => ({
    properties: {
      chain: { const: chain },
      parties: { items: { enum: ORGANISATIONS.filter((o) => o.kind === CHAIN_KIND[chain]).map((o) => o.id) } },
    },
  }));
  const agreement = schemas.MakeSafetyAgreementDto;
  if (!agreement?.properties?.memberIds) throw new Error('MakeSafetyAgreementDto has no memberIds to describe');
  // The safety-agreement decider: a description goes with code "other" only, and "other" needs
  // one; the moments are given as dates or as a rhythm, one of the two; no member twice.
  agreement.allOf = [
    {
      oneOf: [
        { properties: { code: { const: 'other' } }, required: ['description'] },
        { properties: { code: { enum: SAFETY_AGREEMENT_CODES.filter((c) => c !== 'other') }, description: false } },
      ],
    },
    {
      oneOf: [
        { required: ['moments'], properties: { rhythm: false } },
        { required: ['rhythm'], properties: { moments: false } },
      ],
    },
  ];
  agreement.properties.memberIds.uniqueItems = true;
  const contactPoint = schemas.ContactPointDto;
  if (!contactPoint?.properties?.webhookUrl) throw new Error('ContactPointDto has no webhookUrl to describe');
  // A contact point reaches someone: an e-mail address, a webhook, or both; a webhook over https
  // (http only to this machine, which the document leaves out). The contact-point decider.
  contactPoint.anyOf = [{ required: ['email'] }, { required: ['webhookUrl'] }];
  contactPoint.properties.webhookUrl.pattern = '^https://';
  const moments = agreement.properties.moments;
  if (moments?.items) Object.assign(moments, { minItems: 1, items: { ...moments.items, format: 'date' } });
}

/** `?issuer=` takes the names of this deployment's sign-in providers, nothing else (400). */
function describeLoginIssuers(document: OpenAPIObject, names: readonly string[]): void {
  if (names.length === 0) return; // no sign-in: every request is a 404, whatever it asks
  const login = (document.paths['/auth/login'] as Record<string, Operation> | undefined)?.get;
  const issuer = login?.parameters?.find((p) => p.in === 'query' && p.name === 'issuer');
  if (issuer) issuer.schema = { type: 'string', enum: [...names] };
}

/**
 * OpenAPI links from what a command creates to what reads or acts on it, so a client (and the
 * stateful phase of schemathesis) can follow a case, a handover, a negotiation, a safety agreement,
 * a report (melding) or a contact point
 * from the answer that created it: `[from, status, to, parameters]`.
 */
const LINKS: readonly [from: string, status: string, to: readonly string[], parameters: Record<string, string>][] = [
  [
    'post /cases',
    '201',
    [
      'get /cases/{caseId}',
      'get /cases/{caseId}/responsibility',
      'get /cases/{caseId}/state',
      'get /cases/{caseId}/leads',
      'get /cases/{caseId}/notices',
      'get /cases/{caseId}/timeline',
      'get /cases/{caseId}/report',
      'post /cases/{caseId}/children',
      'post /cases/{caseId}/involvements',
      'post /cases/{caseId}/keep-decision',
      'post /cases/{caseId}/lead-negotiations',
      'post /cases/{caseId}/safety-agreements',
      'post /cases/{caseId}/meldingen',
      'get /cases/{caseId}/family',
      'post /cases/{caseId}/family/changes',
      'post /cases/{caseId}/family/reassessments',
      'post /cases/{caseId}/family/care-avoidance',
      'post /cases/{caseId}/family/director-proposals',
      'post /cases/{caseId}/family/goals',
    ],
    { caseId: '$response.body#/caseId' },
  ],
  [
    'post /handovers',
    '201',
    [
      'get /handovers/{id}',
      'post /handovers/{id}/receipt',
      'post /handovers/{id}/acceptance',
      'post /handovers/{id}/start-confirmation',
      'post /handovers/{id}/rejection',
      'post /handovers/{id}/contact-failure',
      'post /handovers/{id}/withdrawal',
    ],
    { id: '$response.body#/handoverId' },
  ],
  [
    'post /handovers',
    '201',
    ['get /cases/{caseId}', 'get /cases/{caseId}/timeline'],
    { caseId: '$response.body#/caseId' },
  ],
  [
    'post /cases/{caseId}/lead-negotiations',
    '201',
    [
      'get /lead-negotiations/{id}',
      'post /lead-negotiations/{id}/proposals',
      'post /lead-negotiations/{id}/acceptances',
      'post /lead-negotiations/{id}/decisions',
      'post /lead-negotiations/{id}/decision-confirmations',
      'post /lead-negotiations/{id}/renegotiations',
    ],
    { id: '$response.body#/negotiationId' },
  ],
  [
    'post /cases/{caseId}/safety-agreements',
    '201',
    [
      'get /safety-agreements/{id}',
      'get /cases/{caseId}/safety-agreements',
      'post /safety-agreements/{id}/results',
      'post /safety-agreements/{id}/monitor-decisions',
      'post /safety-agreements/{id}/monitor-transfer',
      'post /safety-agreements/{id}/end',
    ],
    { id: '$response.body#/agreementId', caseId: '$request.path.caseId' },
  ],
  [
    'post /cases/{caseId}/meldingen',
    '201',
    [
      'get /meldingen/{id}',
      'get /cases/{caseId}/meldingen',
      'post /meldingen/{id}/safety-assessment',
      'post /meldingen/{id}/investigation',
      'post /meldingen/{id}/investigation-completion',
      'post /meldingen/{id}/reporter-informed',
    ],
    { id: '$response.body#/meldingId', caseId: '$request.path.caseId' },
  ],
  [
    'post /organisations/{orgId}/contact-points',
    '201',
    [
      'put /organisations/{orgId}/contact-points/{contactPointId}',
      'delete /organisations/{orgId}/contact-points/{contactPointId}',
    ],
    { orgId: '$request.path.orgId', contactPointId: '$response.body#/contactPoint/contactPointId' },
  ],
];

function addLinks(document: OpenAPIObject): void {
  const operation = (key: string) => {
    const [method, path] = key.split(' ') as [string, string];
    const found = (document.paths[path] as Record<string, (Operation & { operationId: string }) | undefined>)?.[method];
    if (!found) throw new Error(`OpenAPI link names ${key}, which the API does not have`);
    return found;
  };
  for (const [from, status, targets, parameters] of LINKS) {
    const response = operation(from).responses[status] as { links?: Record<string, unknown> };
    for (const target of targets) {
      const to = operation(target);
      const path = target.split(' ')[1]!;
      const used = Object.fromEntries(Object.entries(parameters).filter(([name]) => path.includes(`{${name}}`)));
      (response.links ??= {})[to.operationId] = { operationId: to.operationId, parameters: used };
    }
  }
}

function addGlobalAnswers(path: string, method: (typeof METHODS)[number], operation: Operation): void {
  const add = (status: number, response: unknown) => {
    operation.responses[String(status)] ??= response;
  };
  const signedIn = (operation.security?.length ?? 0) > 0;
  const command = method !== 'get';
  if (signedIn) {
    operation.security = [{ bearer: [] }, { cookie: [] }];
    add(
      401,
      problemResponse('No valid access token or session; the problem says what is wrong with the token', {
        'WWW-Authenticate': { description: 'The scheme that would be accepted', schema: { type: 'string' } },
      }),
    );
  }
  if (signedIn && command) {
    add(403, problemResponse('Your organisation or role may not do this (inspectors only read)'));
    const byStatus = new Map<number, string[]>();
    for (const [code, status] of Object.entries(STATUS_TO_HTTP)) {
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of byStatus) add(status, problemResponse(`Refused by the rules (${codes.join(', ')})`));
  }
  operation.parameters ??= [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path')
      parameter.schema = { ...parameter.schema, ...pathParameterSchema(path, parameter.name) };
  }
  // requestIdCheck (main.ts) runs before every route.
  if (!operation.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === REQUEST_ID_HEADER)) {
    operation.parameters.push({
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description: 'A UUID of your own for this request; recorded as the correlation id of what it causes',
      schema: { type: 'string', format: 'uuid' },
    });
  }
  if (operation.requestBody) {
    add(400, problemResponse('The body is not valid: each field and what is wrong with it'));
    add(413, problemResponse('The body is larger than the API takes'));
    add(415, problemResponse('The body’s charset or content encoding is not one the API reads (send UTF-8 JSON)'));
    add(422, problemResponse('An id in the body looks like personal data (a name, BSN or e-mail address)'));
  }
  if (operation.parameters?.some((p) => p.in === 'header' && p.name === IDEMPOTENCY_KEY_HEADER)) {
    add(400, problemResponse('The Idempotency-Key is missing or not valid'));
    add(409, problemResponse('The first request with this Idempotency-Key is still running; retry with the same key'));
    add(422, problemResponse('This Idempotency-Key was used for a different request'));
  }
  add(400, problemResponse('The request is not valid (`/problems/invalid-request-id`: X-Request-Id is not a UUID)'));
  add(
    429,
    problemResponse('Too many requests from this address or subject', {
      'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 }, required: true },
    }),
  );
  if (path !== '/health/live') add(503, problemResponse('A dependency (database, Temporal) cannot be reached; retry'));
}

/**
 * Path ids: the service issues cases, handovers, negotiations, contact points and notices with
 * UUIDs (routes refuse others with 400, or find nothing: 404); organisations are the directory's.
 */
function pathParameterSchema(path: string, name: string): Schema {
  if (name === 'orgId' || (name === 'id' && path.startsWith('/organisations/'))) {
    return { type: 'string', enum: [...ORGANISATION_IDS] };
  }
  // Handovers and negotiations get version 4 UUIDs, and their routes take no other (ParseUUIDPipe v4).
  if (name === 'id') return { type: 'string', format: 'uuid', pattern: UUID_V4_PATTERN };
  return { type: 'string', format: 'uuid' };
}

/**
 * The constraints the validation pipe enforces, read from the same class-validator metadata,
 * written into the schemas of the request bodies: the document says exactly what is accepted.
 */
function applyValidationConstraints(
  schemas: Record<string, Schema>,
  options: DocumentOptions,
  classes: readonly ValidatedClass[],
): void {
  const storage = getMetadataStorage();
  for (const target of classes) {
    const schema = schemas[target.name];
    if (!schema) continue;
    schema.additionalProperties = false; // forbidNonWhitelisted
    const metadata = storage.getTargetValidationMetadatas(target, '', true, false);
    const required = new Set(Object.keys(schema.properties ?? {}));
    for (const meta of metadata) {
      const property = (schema.properties ??= {})[meta.propertyName] ?? {};
      if (meta.type === 'conditionalValidation' || meta.name === 'isOptional') {
        required.delete(meta.propertyName);
        continue;
      }
      applyConstraint(meta.each ? (property.items ??= {}) : property, meta, options);
      schema.properties[meta.propertyName] = property;
    }
    schema.required = [...required].filter((name) => metadata.some((m) => m.propertyName === name));
    if (schema.required.length === 0) delete schema.required;
  }
}

function applyConstraint(property: Schema, meta: ValidationMetadata, options: DocumentOptions): void {
  const [first] = (meta.constraints ?? []) as unknown[];
  switch (meta.name ?? '') {
    case 'isIn':
      property.enum = [...(first as unknown[])];
      break;
    case 'matches':
      property.type = 'string';
      property.pattern = (first as RegExp).source;
      break;
    case PSEUDONYMOUS_ID_CONSTRAINT:
      property.type = 'string';
      property.pattern = PSEUDONYMOUS_ID_PATTERN;
      break;
    case 'maxLength':
      property.maxLength = first;
      break;
    case 'minLength':
      property.minLength = first;
      break;
    case 'isNotEmpty':
      property.minLength = Math.max(1, (property.minLength as number | undefined) ?? 0);
      break;
    case 'arrayMinSize':
      property.minItems = first;
      break;
    case 'arrayMaxSize':
      property.maxItems = first;
      break;
    case 'isString':
      property.type = 'string';
      break;
    case 'isArray':
      property.type = 'array';
      break;
    case 'isUuid':
      property.type = 'string';
      property.format = 'uuid';
      if (first === '4') property.pattern = UUID_V4_PATTERN;
      break;
    case 'isIso8601':
      property.type = 'string';
      property.format = 'date-time';
      break;
    case 'isEmail':
      property.type = 'string';
      property.format = 'email';
      break;
    case 'isUrl':
      property.type = 'string';
      property.format = 'uri';
      break;
    case DEADLINE_CONSTRAINT: {
      const policy = DEADLINE_POLICY[first as DeadlineKind];
      const days = { type: 'integer', minimum: policy.min, maximum: policy.max };
      // Durations only where the API takes them (DEMO_MODE); elsewhere they are refused.
      delete property.type;
      Object.assign(
        property,
        options.demoMode ? { oneOf: [days, { type: 'string', pattern: ISO_DURATION_PATTERN }] } : days,
      );
      break;
    }
    case 'isObject':
      property.type ??= 'object';
      break;
    default:
      // Other constraints (a custom one such as isDeadline) are described by the DTO's @ApiProperty.
      break;
  }
}

/**
 * The classes the validation pipe checks: every class with class-validator metadata of its own,
 * and every class a route takes (a DTO that only extends another, or an empty body such as
 * ReceiptDto, has no metadata of its own, yet is validated: with its parent's, and no unknown fields).
 */
const BUILT_INS = new Set<unknown>([Object, String, Number, Boolean, Array, Date]);

function validatedClasses(app: INestApplication): ValidatedClass[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<ValidatedClass, unknown[]> };
  const own = [...storage.validationMetadatas.keys()];
  const taken = new Set<ValidatedClass>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const controller of module.controllers.values()) {
      const prototype = (controller.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as unknown[];
        for (const type of types) {
          if (typeof type !== 'function' || own.includes(type as ValidatedClass) || BUILT_INS.has(type)) continue;
          taken.add(type as ValidatedClass);
        }
      }
    }
  }
  return [...own, ...taken];
}
