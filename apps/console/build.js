// The regulator's console (apps/console): its TypeScript compiled for the
// browser, then its page, stylesheet and the graph library (cytoscape, from
// node_modules: self-hosted, no CDN) copied beside it in dist/console, where
// the api serves them at /console. Part of `npm run build`.
const { execFileSync } = require('node:child_process');
const { copyFileSync, mkdirSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const here = __dirname;
const out = join(here, '..', '..', 'dist', 'console');

try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  // tsc printed what is wrong.
  process.exit(1);
}
mkdirSync(out, { recursive: true });
for (const file of readdirSync(join(here, 'static'))) copyFileSync(join(here, 'static', file), join(out, file));
copyFileSync(require.resolve('cytoscape/dist/cytoscape.min.js'), join(out, 'cytoscape.min.js'));
