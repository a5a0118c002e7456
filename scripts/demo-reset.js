#!/usr/bin/env node
'use strict';
// npm run demo:reset: starts the embedded data over (the README's walk-through, a demo).
// Deletes DATA_DIR/pg (the embedded database) and the embedded database's admin token files
// (admin.token, admin-embedded.token), nothing else: the event-signing key stays (the new data is
// signed with it), and a database of your own (DATABASE_URL) and its admin-<db>-<hash>.token are
// never touched. Refuses while that embedded PostgreSQL still runs.
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');

const USAGE = `usage: npm run demo:reset
  Deletes the embedded database (DATA_DIR/pg) and the admin token in DATA_DIR (default ./.coldtrace),
  so the next npm start begins empty. Stop the service first. DATABASE_URL's database is not touched.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`demo:reset: unknown argument ${args[0]}\n${USAGE}`);
  process.exit(2);
}

const dataDir = resolve(process.env.DATA_DIR || './.coldtrace');
const pgDir = join(dataDir, 'pg');

// PostgreSQL keeps its process id in postmaster.pid while it runs (left behind by a crash: then no such process).
const running = () => {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return error.code === 'EPERM' ? pid : undefined;
  }
};

const pid = running();
if (pid !== undefined) {
  console.error(`demo:reset: refused: the embedded PostgreSQL of ${dataDir} is running (pid ${pid}); stop the service (npm start) first`);
  process.exit(1);
}

const tokens = ['admin.token', 'admin-embedded.token'].filter((f) => existsSync(join(dataDir, f)));
const targets = [...(existsSync(pgDir) ? [pgDir] : []), ...tokens.map((f) => join(dataDir, f))];
if (targets.length === 0) {
  console.log(`demo:reset: nothing to reset in ${dataDir}`);
  process.exit(0);
}
for (const target of targets) rmSync(target, { recursive: true, force: true });
console.log(`demo:reset: deleted ${targets.join(', ')}; the next npm start begins empty and writes a new admin token`);
