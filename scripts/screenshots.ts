/**
 * Regenerates the dashboard screenshots in docs/images/ (used by the README's tour): a real `engram serve` on
 * a temp database seeded like the e2e tests (the repo's LoCoMo fixture plus a user whose facts change), the
 * default GloVe embedder so search shows both retrievers, and Debian's Chromium. Run: npm run screenshots
 * (after npm run build).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openDashboard, startSeededServer } from '../test/e2e/harness.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'images');

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.loading'));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

async function main(): Promise<void> {
  const server = await startSeededServer({ embedder: 'glove' });
  const browser = await launchBrowser();
  const shots: string[] = [];
  try {
    const shoot = async (
      name: string,
      hash: string,
      prepare: (page: Page) => Promise<void>,
      size: { width: number; height: number } = { width: 1280, height: 800 },
    ) => {
      const { page, errors, close } = await openDashboard(browser, server, {
        key: server.keys.admin,
        hash,
        ...size,
      });
      await page.locator('main h1').first().waitFor();
      await prepare(page);
      await settle(page);
      const path = join(OUT, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      if (errors.length > 0) throw new Error(`${name}: console errors ${errors.join('; ')}`);
      shots.push(path);
      await close();
    };
    const page = (await (await server.call('GET', '/v1/memories?user=maya&kind=fact&limit=100')).json()) as {
      items: { id: string; text: string }[];
    };
    const facts = page.items;
    const lisbon = facts.find((f) => f.text.startsWith('Maya lives in Lisbon'))!;
    // One correction, so the history shows a diff.
    await server.call('PATCH', `/v1/memories/${lisbon.id}`, {
      text: 'Maya lives in Lisbon, in Alfama (moved there in the week of 10 June 2024).',
    });

    await shoot('users', '#/', (p) => p.locator('.user-card').first().waitFor(), {
      width: 1280,
      height: 440,
    });
    await shoot('timeline', '#/u/maya', (p) => p.locator('.derived').first().waitFor());
    await shoot('facts', '#/u/maya/facts', (p) => p.locator('.chain').first().waitFor());
    await shoot(
      'entity',
      '#/u/maya/e/person%3Amaya',
      (p) => p.locator('.entity-timeline li').first().waitFor(),
      {
        width: 1280,
        height: 900,
      },
    );
    await shoot('memory', `#/m/${lisbon.id}`, (p) => p.locator('.history-entry.action-update').waitFor(), {
      width: 1280,
      height: 860,
    });
    await shoot(
      'search',
      '#/u/maya/search',
      async (p) => {
        await p.getByLabel('Query').fill('where does Maya live now?');
        await p.getByRole('button', { name: 'Search' }).click();
        await p.locator('ol.hits > li').first().waitFor();
      },
      { width: 1280, height: 1180 },
    );
    await shoot('admin', '#/admin', (p) => p.locator('table.keys').waitFor(), { width: 1280, height: 900 });
    await shoot('mobile', '#/u/priya', (p) => p.locator('.derived').first().waitFor(), {
      width: 360,
      height: 740,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  for (const s of shots) console.log(s);
}

await main();
