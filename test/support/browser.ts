import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where browser tests leave their screenshots (CI keeps the folder; git ignores it). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'screenshots');

/**
 * The system's Chromium (Debian's `chromium`, installed by .ci/run when
 * missing): CHROMIUM_PATH, else the first one on PATH. Never a download.
 */
export const chromiumPath = (): string => {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not this one
    }
  }
  throw new Error('no Chromium found: install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
};

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });

/** A phone: what a shopper holds up to the code on the pack. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and answers its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is now; the serious and
 * critical violations. Evaluated through the DevTools protocol, which the
 * page's Content-Security-Policy does not govern, so pages keep theirs.
 */
export const seriousAccessibilityViolations = async (page: Page): Promise<AxeViolation[]> => {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};

/** A console page with no serious axe-core violation and a label on every form field (`what` names it in a failure). */
export const expectAccessibleConsole = async (page: Page, what: string): Promise<void> => {
  const violations = await seriousAccessibilityViolations(page);
  expect({ what, violations }).toEqual({ what, violations: [] });
  const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0).map((el) => el.outerHTML)`);
  expect({ what, unlabelled }).toEqual({ what, unlabelled: [] });
};

/** What the page reports going wrong from now on: script errors, CSP refusals (not the API's 4xx answers, which a page shows itself). */
export const watchPageProblems = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  return problems;
};

/** Every visible text node on the page that is a bare code (`NOT_AT_RETAIL_STORE`): none should be. */
export const RAW_CODES_SHOWN = `(() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    if (/^[A-Z_]{6,}$/.test(text) && node.parentElement && node.parentElement.checkVisibility()) found.push(text);
  }
  return found;
})()`;
