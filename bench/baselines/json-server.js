'use strict';
/**
 * Baseline of the eligibility read: a bare node:http server answering every
 * request with the JSON body the api gave for the same lot (BODY_FILE),
 * `evaluatedAt` set per request as the api does. No framework, no database,
 * no authentication: what this machine's node can serve at most.
 */
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');

const body = JSON.parse(readFileSync(process.env.BODY_FILE, 'utf8'));

const server = createServer((req, res) => {
  if ('evaluatedAt' in body) body.evaluatedAt = new Date().toISOString();
  const payload = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
