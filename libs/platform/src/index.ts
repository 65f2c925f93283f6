export * from './config';
export * from './trusted-issuers.config';
export * from './logger';
export * from './nest/platform.module';
export * from './nest/bootstrap';
export * from './ids';
export * from './notice-links';
export * from './html';
