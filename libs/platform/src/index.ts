export * from './config/env';
export * from './database/embedded-postgres';
export * from './database/data-source-options';
export * from './database/migrate';
export * from './database/resolve-database';
export * from './shutdown';
