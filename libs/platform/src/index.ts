export * from './config/env';
export * from './database/embedded-postgres';
export * from './database/data-source-options';
export * from './database/database-unavailable';
export * from './database/migrate';
export * from './database/migrations/1764400008000-grant-runtime-role';
export * from './database/resolve-database';
export * from './shutdown';
