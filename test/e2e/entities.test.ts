/**
 * The entities of a user in Chromium: the people and places memory knows about, filtered by type, and one
 * entity's profile — current and superseded facts with their dates, the memories that mention it, and the
 * entities it comes up with — against a real `engram serve` seeded by the e2e harness.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type E2eServer, launchBrowser, layoutShift, openDashboard, startSeededServer } from './harness.js';

describe('dashboard: entities and profiles', () => {
  let s: E2eServer;
  let browser: Browser;
  before(async () => {
    s = await startSeededServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  test('the entities tab lists people and places, most mentioned first, and filters by type', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.read,
      hash: '#/u/maya/entities',
    });
    const names = page.locator('.entity-card .entity-name');
    await names.first().waitFor();
    const all = await names.allTextContents();
    // The API's order, shown as is; the speaker is mentioned by every turn she said.
    const api = (await (await s.call('GET', '/v1/entities?user=maya')).json()).entities as { name: string }[];
    assert.deepEqual(
      all,
      api.map((e) => e.name),
    );
    assert.equal(all[0], 'Maya');
    for (const place of ['Montreal', 'Lisbon', 'Tokyo']) assert.ok(all.includes(place), place);
    await page.getByLabel('Type').selectOption('place');
    await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
    await page.locator('.entity-card', { hasText: 'Tokyo' }).waitFor();
    const places = await names.allTextContents();
    assert.ok(!places.includes('Maya'), `a person among places: ${places.join(', ')}`);
    assert.deepEqual([...places].sort(), ['Lisbon', 'Montreal', 'Tokyo']);
    assert.ok((await layoutShift(page)) < 0.1);
    assert.deepEqual(errors, []);
    await close();
  });

  test('a profile: current facts, the superseded one with its dates, mentions over time, related entities', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.read,
      hash: '#/u/maya/entities',
    });
    await page.locator('.entity-card', { hasText: 'Maya' }).first().click();
    await page.getByRole('heading', { name: 'Mentions over time' }).waitFor();
    assert.match((await page.locator('h1.entity-title').textContent()) ?? '', /^Maya\s*person$/);
    const current = await page.locator('.entity-facts .fact-current a').allTextContents();
    assert.ok(
      current.some((t) => t.startsWith('Maya lives in Lisbon')),
      `current facts: ${current.join(' | ')}`,
    );
    assert.ok(!current.some((t) => t.startsWith('Maya lives in Montreal')));
    assert.match(
      (await page.locator('.entity-facts .fact-superseded').first().textContent()) ?? '',
      /Maya lives in Montreal\..*true from 15 Jan 2024 until 20 Jun 2024/,
    );
    // Mentions in time order, each linking to its memory.
    const mentions = await page.locator('.entity-timeline .memory-text').allTextContents();
    assert.ok(mentions.indexOf('I live in Montreal and I work at a bakery.') >= 0);
    assert.ok(
      mentions.indexOf('I live in Montreal and I work at a bakery.') <
        mentions.indexOf('Big news: I moved to Lisbon last week!'),
    );
    // From Maya to a place she mentioned, and on to that place's own profile.
    await page.locator('.entity-related a', { hasText: 'Lisbon' }).click();
    await page.waitForFunction(() =>
      /Lisbon/.test(document.querySelector('h1.entity-title')?.textContent ?? ''),
    );
    assert.match((await page.locator('h1.entity-title').textContent()) ?? '', /^Lisbon\s*place$/);
    assert.ok(
      (await page.locator('.entity-timeline .memory-text').allTextContents()).includes(
        'Big news: I moved to Lisbon last week!',
      ),
    );
    assert.equal(page.url().endsWith('#/u/maya/e/place%3Alisbon'), true, page.url());
    assert.deepEqual(errors, []);
    await close();
  });

  test('an entity memory does not know is a clear error, not a blank page', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.read,
      hash: '#/u/maya/e/Zanzibar',
    });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /NOT_FOUND/);
    assert.deepEqual(
      errors.filter((e) => !/status of 404/.test(e)),
      [],
    );
    await close();
  });
});
