'use strict';
/**
 * Preloaded (`node -r`) into one-shot processes the bench times: as the
 * process exits, writes its peak resident set (VmHWM from /proc/self/status)
 * to stderr, where bench/support/processes.ts picks it up.
 */
const { readFileSync, writeSync } = require('node:fs');

process.on('exit', () => {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) writeSync(2, `\nBENCH_PEAK_RSS_KB=${m[1]}\n`);
  } catch {
    // not Linux: no peak reported
  }
});
