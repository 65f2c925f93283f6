export * from './config';
export * from './logger';
export * from './nest/platform.module';
export * from './nest/bootstrap';
