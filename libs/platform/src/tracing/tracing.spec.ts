import { trace } from '@opentelemetry/api';
import { activeTracing, startTracing, tracingRequested } from './tracing';

describe('tracing switch', () => {
  it('given no OTLP endpoint, when an app starts tracing, then nothing starts and spans stay no-ops', () => {
    expect(startTracing('api', {})).toBeUndefined();
    expect(activeTracing()).toBeUndefined();
    expect(trace.getTracer('test').startSpan('x').isRecording()).toBe(false);
  });

  it('given an endpoint, then tracing is requested, unless the SDK or the traces exporter is switched off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingRequested(endpoint)).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
  });

  it('given a protocol the apps do not export with, when tracing starts, then it stays off (the config check names it)', () => {
    expect(
      startTracing('worker', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toBeUndefined();
  });
});
