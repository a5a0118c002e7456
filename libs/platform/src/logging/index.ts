export * from './nest-logging';
export * from './root-logger';
