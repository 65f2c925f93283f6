// OpenTelemetry first, so it can instrument what the app loads after it.
import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ConfigError, createMetricsRegistry, loadConfig, runApp } from '@warm-handover/platform';
import { ApiModule } from './api.module';
import { issuerDirectoryProblems } from './auth/trusted-issuers';
import { httpMetrics, metricsEndpoint } from './http/metrics';
import { requestIdCheck } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { createValidationPipe, verifyJsonBody } from './http/validation';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** Commands are small JSON documents; anything bigger is a mistake or an attack (413). */
export const BODY_LIMIT = '256kb';

runApp(async () => {
  const config = loadConfig('api');
  const issuerProblems = issuerDirectoryProblems(config.OIDC_ISSUERS);
  if (issuerProblems.length > 0) throw new ConfigError(issuerProblems);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const metrics = createMetricsRegistry('api');
  app.use(httpMetrics(metrics));
  app.use(metricsEndpoint(metrics, config.OPERATOR_TOKEN));
  app.use(securityHeaders());
  app.use(requestIdCheck());
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: verifyJsonBody });
  // Only the acknowledgement form of a notice posts a form; its one field is a short token.
  app.useBodyParser('urlencoded', { limit: '4kb', extended: false });
  app.useGlobalPipes(createValidationPipe());

  const document = buildOpenApiDocument(app, {
    demoMode: config.DEMO_MODE,
    loginIssuers: config.OIDC_ISSUERS.filter((i) => i.login !== undefined).map((i) => i.name),
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  await app.listen(config.PORT);
  app.get(Logger).log(`API listening on port ${config.PORT}; docs at /docs`);
  return app;
});
