// OpenTelemetry first, so it can instrument what the app loads after it.
import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig, runApp } from '@warm-handover/platform';
import { WorkerModule } from './worker.module';

runApp(async () => {
  const config = loadConfig('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
});
