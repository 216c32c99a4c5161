import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Debian's Chromium driven by playwright-core: never a downloaded browser.
// Every console error and uncaught page error is kept, so a test can
// assert the editor stayed clean; screenshots go to test-artifacts/.

export const CHROMIUM = process.env.SQX3_CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Editor {
  page: Page;
  errors: string[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openEditor(
  url: string,
  artifacts: string,
): Promise<Editor> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(
    profile,
    {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1600, height: 1000 },
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });

  fs.mkdirSync(artifacts, { recursive: true });
  await page.goto(url);

  return {
    page,
    errors,
    async shot(name) {
      const file = path.join(artifacts, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
