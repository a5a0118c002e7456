'use strict';
/**
 * Runs a built CLI from dist/ (the npm scripts: `node scripts/cli.js keys ...`),
 * with no build first: a CLI starts in a fraction of a second, and works in
 * the production image, which has no TypeScript. Without dist/ it says so in
 * one line (exit 1) instead of Node's stack trace. Plain JavaScript, so it
 * runs before any build.
 */
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+$/.test(name)) {
  process.stderr.write('usage: node scripts/cli.js CLI [ARGS...] (CLI: a file of dist/apps/api/src/cli, e.g. keys)\n');
  process.exit(2);
}
const file = join(ROOT, 'dist/apps/api/src/cli', `${name}.js`);
if (!existsSync(file)) {
  const dist = existsSync(join(ROOT, 'dist')) ? relative(process.cwd(), file) || file : 'dist/';
  process.stderr.write(`${dist} is missing: run npm run build first\n`);
  process.exit(1);
}
// A child, not require(): each CLI runs its main only as the main module. Signals are passed on; the child decides.
const child = spawn(process.execPath, [...process.execArgv, file, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (e) => {
  process.stderr.write(`${name}: ${e.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
