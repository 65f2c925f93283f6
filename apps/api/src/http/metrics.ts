import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { isOperator } from '@warm-handover/platform';

/**
 * HTTP latency of the api, by method, route pattern (never the path itself: ids are not labels)
 * and status code, for Prometheus.
 */
export function httpMetrics(registry: Registry): (req: Request, res: Response, next: NextFunction) => void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response of the api, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // Express sets req.route on the handler that matched; anything else counts as one route.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * GET /metrics: the registry in Prometheus' text format, for operators only (X-Operator-Token or
 * a bearer OPERATOR_TOKEN); to anyone else it does not exist.
 */
export function metricsEndpoint(
  registry: Registry,
  operatorToken: string,
): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/metrics') return next();
    if (!isOperator(operatorToken, req.headers)) return next();
    registry.metrics().then(
      (text) => {
        res.setHeader('Content-Type', registry.contentType);
        res.setHeader('Cache-Control', 'no-store');
        res.send(text);
      },
      (error: unknown) => next(error),
    );
  };
}
