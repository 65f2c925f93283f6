import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ApiAnswer } from './api-client';

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> } | undefined>;
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Responses }>>;
  readonly components: { schemas: Record<string, unknown> };
}

const DOCUMENT_ID = 'https://warm-handover.invalid/openapi.json';

/**
 * Checks real answers of the API against its published OpenAPI document: the status must be
 * documented for the operation, the content type must be one it lists for that status, and the
 * body must match its schema (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). A client generated
 * from the document then reads every answer the API gives.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { readonly path: string; readonly pattern: RegExp; readonly params: number }[];

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (path.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter: /handovers before /handovers/{id}.
      .sort((a, b) => a.params - b.params);
  }

  static async of(baseUrl: string): Promise<OpenApiConformance> {
    const response = await fetch(`${baseUrl}/docs/openapi.json`);
    if (!response.ok) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
    return new OpenApiConformance((await response.json()) as OpenApiDocument);
  }

  /** What is wrong with this answer to `method path` by the document; empty when it conforms. */
  problems(
    method: string,
    path: string,
    answer: Pick<ApiAnswer, 'status' | 'contentType' | 'body' | 'text'>,
  ): string[] {
    const bare = path.split('?')[0]!;
    const template = this.templates.find((t) => t.pattern.test(bare));
    const name = `${method.toUpperCase()} ${path}`;
    const operation = template && this.document.paths[template.path]![method.toLowerCase()];
    if (!operation) return [`${name}: no such operation in the document`];
    const response = operation.responses[String(answer.status)];
    if (!response) return [`${name}: status ${answer.status} is not documented (${answer.text.slice(0, 200)})`];
    const contentType = answer.contentType.split(';')[0]!.trim();
    if (!response.content) return answer.text === '' ? [] : [`${name} ${answer.status}: a body, but none documented`];
    const media = response.content[contentType];
    if (!media) {
      return [
        `${name} ${answer.status}: content type ${contentType} is not one of ${Object.keys(response.content).join(', ')}`,
      ];
    }
    if (!media.schema) return [];
    const validate = this.validator(media.schema);
    const body = contentType.endsWith('json') ? answer.body : answer.text;
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${name} ${answer.status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  private validator(schema: unknown): ValidateFunction {
    const text = JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`);
    let validate = this.compiled.get(text);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(text) as object);
      this.compiled.set(text, validate);
    }
    return validate;
  }
}
