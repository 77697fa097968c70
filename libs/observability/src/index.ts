export * from './redaction';
export * from './logger';
export * from './nest/observability.module';
export * from './nest/readiness.service';
export * from './nest/tokens';
export * from './nest/start-nest-app';
export * from './cluster/run-clustered';
