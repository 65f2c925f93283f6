import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { validate } from '@readme/openapi-parser';
import { loadConfig } from '@warm-handover/platform';
import { ApiModule } from '../api.module';
import { formatSchemas, generateResponseSchemas, RESPONSE_SCHEMAS } from '../../../../scripts/openapi/response-schemas';
import { IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency.interceptor';
import { buildOpenApiDocument, type DocumentOptions } from './openapi-document';

/** The document main.ts serves, built without connecting anything (Nest's preview mode). */
export async function apiDocument(options: DocumentOptions = { demoMode: false }): Promise<OpenAPIObject> {
  const config = loadConfig('api', { NODE_ENV: 'test', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  const app = await NestFactory.create(ApiModule.forRoot(config), { preview: true, logger: false });
  try {
    return buildOpenApiDocument(app, options);
  } finally {
    await app.close();
  }
}

type Operation = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
};

function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );
}

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await apiDocument();
  });

  it('given the API, when its document is built, then it is valid OpenAPI 3.1', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result).toMatchObject({ valid: true });
  });

  it('given every operation, then each success and each problem it answers has a schema, problems as application/problem+json', () => {
    const missing: string[] = [];
    for (const [name, op] of operations(document)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const content = response.content ?? {};
        if (status.startsWith('4') || status.startsWith('5')) {
          // /health answers its own { status: "error" } when a dependency is down.
          if (name === 'GET /health' && status === '503') continue;
          if (!content['application/problem+json']?.schema) missing.push(`${name} ${status}: no problem schema`);
        } else if (status !== '204' && !status.startsWith('3') && Object.values(content).every((c) => !c.schema)) {
          missing.push(`${name} ${status}: no schema`);
        }
      }
      if (!Object.keys(op.responses).some((s) => s.startsWith('2') || s.startsWith('3')))
        missing.push(`${name}: no success answer`);
      if (!op.responses['429']) missing.push(`${name}: no 429`);
    }
    expect(missing).toEqual([]);
  });

  it('given the operations that need sign-in, then each names bearer and cookie security and answers 401', () => {
    const open = new Set([
      'GET /health/live',
      'GET /health',
      'GET /notices/{noticeId}/acknowledgement',
      'POST /notices/{noticeId}/acknowledgement',
      'GET /auth/login',
      'GET /auth/callback',
      'POST /auth/logout',
    ]);
    const wrong = operations(document)
      .filter(([name, op]) => !open.has(name) !== ((op.security?.length ?? 0) > 0 && op.responses['401'] !== undefined))
      .map(([name]) => name);
    expect(wrong).toEqual([]);
  });

  it('given a command, then its Idempotency-Key header is required with the shape the API checks', () => {
    const post = document.paths['/handovers']!.post as unknown as Operation;
    const key = post.parameters!.find((p) => p.name === 'Idempotency-Key');
    expect(key).toMatchObject({ in: 'header', required: true, schema: { pattern: IDEMPOTENCY_KEY_PATTERN.source } });
    expect(post.responses['201']!.headers).toHaveProperty('Location');
  });

  it('given a request body, then its schema carries the constraints the validation pipe enforces', () => {
    const schemas = document.components!.schemas as Record<string, any>;
    const request = schemas.RequestHandoverDto;
    expect(request.additionalProperties).toBe(false);
    expect(request.required).toEqual(expect.arrayContaining(['childIds', 'toOrg', 'reason']));
    expect(request.required).not.toContain('caseId');
    expect(request.properties.childIds).toMatchObject({
      minItems: 1,
      maxItems: 20,
      items: { pattern: expect.any(String) },
    });
    expect(request.properties.reason.enum).toContain('family-moved');
    expect(request.properties.toOrg).toMatchObject({ maxLength: 100, minLength: 1 });
    expect(schemas.DeadlinesDto.properties.receipt).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    expect(schemas.NegotiationDeadlinesDto.properties.agreement).toMatchObject({ minimum: 1, maximum: 10 });
    expect(schemas.OpenNegotiationDto.properties.parties.items.enum).toContain('politie-amsterdam');
    expect(schemas.ContactPointDto.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(schemas.AcceptanceOfProposalDto.properties.proposalId).toMatchObject({ format: 'uuid' });
  });

  it('given a request body, then every id it takes (a property named …Id or …Ids) states the shape the API checks', () => {
    const schemas = document.components!.schemas as Record<string, any>;
    const loose = Object.entries(schemas)
      .filter(([name]) => name.endsWith('Dto'))
      .flatMap(([name, schema]) =>
        Object.entries((schema.properties ?? {}) as Record<string, any>)
          .filter(([property]) => /Ids?$/.test(property))
          .filter(([, p]) => {
            const id = p.type === 'array' ? p.items : p;
            return !(id.pattern || id.enum || id.format === 'uuid' || id.$ref);
          })
          .map(([property]) => `${name}.${property}`),
      );
    expect(loose).toEqual([]);
  });

  it('given an empty event store, then GET /audit/head declares the 404 it answers (empty-store)', () => {
    const head = operations(document).find(([name]) => name === 'GET /audit/head')?.[1];
    expect(head?.responses['404']?.content?.['application/problem+json']?.schema).toBeDefined();
  });

  it('given the safety and management endpoints, then their creates link to what acts on them and the figures declare each format and scope', () => {
    const created = (path: string) =>
      ((document.paths[path]!.post as unknown as Operation).responses['201'] as { links?: Record<string, unknown> })
        .links;
    expect(created('/cases/{caseId}/safety-agreements')).toMatchObject({
      SafetyController_agreement: { parameters: { id: '$response.body#/agreementId' } },
      SafetyController_result: { parameters: { id: '$response.body#/agreementId' } },
      SafetyController_agreements: { parameters: { caseId: '$request.path.caseId' } },
    });
    expect(created('/cases/{caseId}/meldingen')).toMatchObject({
      SafetyController_melding: { parameters: { id: '$response.body#/meldingId' } },
      SafetyController_assess: { parameters: { id: '$response.body#/meldingId' } },
    });
    const figures = document.paths['/management-figures']!.get as unknown as Operation;
    expect(Object.keys(figures.responses['200']!.content!)).toEqual(['application/json', 'text/csv', 'text/html']);
    // Exactly one of ?region= and ?municipality=: one exploded object parameter, one or the other.
    const scope = figures.parameters!.find((p) => p.name === 'scope')!;
    expect(scope).toMatchObject({ in: 'query', required: true, style: 'form', explode: true });
    const [region, municipality] = (
      scope.schema as { oneOf: { properties: Record<string, { enum: string[] }>; required: string[] }[] }
    ).oneOf;
    expect(region!.required).toEqual(['region']);
    expect(region!.properties.region!.enum).toContain('vt-kennemerland');
    expect(region!.properties.region!.enum).not.toContain('gemeente-amsterdam');
    expect(municipality!.required).toEqual(['municipality']);
    expect(municipality!.properties.municipality!.enum).toContain('gemeente-amsterdam');
    const agreement = document.paths['/safety-agreements/{id}']!.get as unknown as Operation;
    expect(agreement.parameters!.find((p) => p.name === 'id')!.schema).toMatchObject({ format: 'uuid' });
  });

  it('given bodies whose rules span fields or that only extend another DTO, then their schemas state those rules', () => {
    const schemas = document.components!.schemas as Record<string, Record<string, any>>;
    // Inherited constraints (DecisionDto extends ProposalDto, AddChildrenDto extends OpenCaseDto).
    expect(schemas.DecisionDto).toMatchObject({ additionalProperties: false, required: ['lead', 'rationale'] });
    expect(schemas.DecisionDto!.properties.rationale).toMatchObject({ minLength: 1, pattern: '\\S' });
    expect(schemas.AddChildrenDto).toMatchObject({
      additionalProperties: false,
      properties: { childIds: { minItems: 1 } },
    });
    // A body without fields takes none.
    expect(schemas.ReceiptDto).toMatchObject({ additionalProperties: false });
    // Parties: different organisations, all of the chain's kind.
    const negotiation = schemas.OpenNegotiationDto!;
    expect(negotiation.properties.parties.uniqueItems).toBe(true);
    const care = negotiation.oneOf.find((o: any) => o.properties.chain.const === 'care');
    expect(care.properties.parties.items.enum).toContain('vt-kennemerland');
    expect(care.properties.parties.items.enum).not.toContain('politie-amsterdam');
    // A description only with code "other", and moments as dates or a rhythm.
    const [codes, moments] = schemas.MakeSafetyAgreementDto!.allOf;
    expect(codes.oneOf).toEqual([
      { properties: { code: { const: 'other' } }, required: ['description'] },
      expect.objectContaining({ properties: expect.objectContaining({ description: false }) }),
    ]);
    expect(moments.oneOf.map((o: any) => o.required)).toEqual([['moments'], ['rhythm']]);
    // A contact point reaches someone, a webhook over https.
    expect(schemas.ContactPointDto).toMatchObject({
      anyOf: [{ required: ['email'] }, { required: ['webhookUrl'] }],
      properties: { webhookUrl: { pattern: '^https://' } },
    });
  });

  it('given the sign-in providers of the deployment, then ?issuer= takes their names and ?returnTo= only a path of this API', async () => {
    const withLogin = await apiDocument({ demoMode: false, loginIssuers: ['provider-a', 'provider-b'] });
    const login = withLogin.paths['/auth/login']!.get as unknown as Operation;
    const query = (name: string) => login.parameters!.find((p) => p.in === 'query' && p.name === name)!.schema!;
    expect(query('issuer')).toEqual({ type: 'string', enum: ['provider-a', 'provider-b'] });
    const returnTo = new RegExp(query('returnTo').pattern as string);
    expect(['', '/', '/cases/c-1/state?at=2026-01-01'].filter((p) => !returnTo.test(p))).toEqual([]);
    expect(['//evil.example/x', '/\\evil', 'https://evil.example', '/a b'].filter((p) => returnTo.test(p))).toEqual([]);
  });

  it('given the response types, then response-schemas.generated.ts is what they generate (npm run openapi:schemas)', () => {
    // Generating reads the whole program with the TypeScript compiler: slow, so once here.
    expect(readFileSync(RESPONSE_SCHEMAS, 'utf8')).toBe(formatSchemas(generateResponseSchemas()));
  }, 120_000);
});
