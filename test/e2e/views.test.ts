/**
 * The dashboard in Debian's Chromium against a real `engram serve` child process: every view, sign-in, the
 * Content Security Policy, memory text rendered as text, read-only keys, keyboard-only search, 360 px.
 * Read-only: changes are in change.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../server/helpers.js';
import {
  type E2eServer,
  LOCOMO_USER,
  launchBrowser,
  layoutShift,
  openDashboard,
  startSeededServer,
  tabTo,
  XSS_TEXT,
} from './harness.js';

describe('dashboard views in Chromium', () => {
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

  test('the page and its assets: strict CSP, content types, caching', async () => {
    const page = await fetch(`${s.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const html = await page.text();
    // No inline script at all: every <script> has a src on this origin.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length > 0);
    for (const tag of scripts) assert.match(tag, /src="\/assets\/[^"]+\.js"/);
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    const jsRes = await fetch(s.url + js);
    assert.equal(jsRes.status, 200);
    assert.match(jsRes.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    assert.equal(jsRes.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const cssRes = await fetch(s.url + css);
    assert.match(cssRes.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await fetch(`${s.url}/assets/nope.js`)).status, 404);
  });

  test('sign-in keeps the key in this tab only: not in the URL, not in localStorage', async () => {
    const { page, errors, close } = await openDashboard(browser, s);
    await page.getByRole('heading', { name: 'Sign in to Engram' }).waitFor();
    await page.getByLabel('API key').fill(s.keys.read);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem('engram.key'),
      local: localStorage.length,
      url: location.href,
    }));
    assert.equal(storage.session, s.keys.read);
    assert.equal(storage.local, 0);
    assert.ok(!storage.url.includes(s.keys.read));
    // A new tab (new browsing context) starts signed out.
    const other = await openDashboard(browser, s);
    await other.page.getByRole('heading', { name: 'Sign in to Engram' }).waitFor();
    await other.close();
    // The only console line is the browser reporting the first, keyless whoami as 401.
    assert.deepEqual(
      errors.filter((e) => !/status of 401/.test(e)),
      [],
    );
    await close();
  });

  test('users: every user with counts by kind, sessions and last activity; search by name', async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.admin });
    const cards = page.locator('.user-card');
    await cards.first().waitFor();
    assert.deepEqual(await page.locator('.user-name').allTextContents(), ['maya', 'mallory', LOCOMO_USER]);
    const maya = cards.filter({ hasText: 'maya' }).first();
    const mayaText = await maya.textContent();
    assert.match(mayaText ?? '', /6 turns/);
    assert.match(mayaText ?? '', /1 note/);
    assert.match(mayaText ?? '', /2 sessions · last activity 21 Jun 2024/);
    const priya = await cards.filter({ hasText: LOCOMO_USER }).textContent();
    assert.match(priya ?? '', /5 turns/);
    assert.match(priya ?? '', /1 fact/);
    await page.getByLabel('Find a user').fill('MA');
    await page.waitForFunction(() => document.querySelectorAll('.user-card').length === 2);
    assert.deepEqual(await page.locator('.user-name').allTextContents(), ['maya', 'mallory']);
    await page.getByLabel('Find a user').fill('nobody');
    await page.getByText('No user matches “nobody”.').waitFor();
    assert.ok((await layoutShift(page)) < 0.1);
    assert.deepEqual(errors, []);
    await close();
  });

  test('timeline: sessions newest first, turns with the facts extracted from them, event times', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.admin,
      hash: `#/u/${LOCOMO_USER}`,
    });
    await page.locator('details.session').first().waitFor();
    assert.deepEqual(await page.locator('.session-name').allTextContents(), ['session_2', 'session_1']);
    const newest = page.locator('details.session').first();
    await newest.locator('.turn').first().waitFor();
    assert.deepEqual(await newest.locator('.turn .memory-text').allTextContents(), [
      'How is the pottery going?',
      'I made my first mug last Saturday! It is a bit lopsided.',
    ]);
    // The fact sits under the turn it came from, with the day it happened (said on 2 April).
    const turn = newest.locator('.turn').nth(1);
    assert.match((await turn.locator('.derived').textContent()) ?? '', /first mug on 30 March 2024/);
    assert.equal(await turn.locator('.derived .event').textContent(), 'event 30 Mar 2024');
    // Older sessions load when opened, by keyboard too.
    const older = page.locator('details.session').nth(1);
    await older.locator('summary').focus();
    await page.keyboard.press('Enter');
    await older.locator('.turn').nth(2).waitFor();
    assert.match((await older.textContent()) ?? '', /signed up for the pottery class downtown/);
    // From a turn to what was drawn from it.
    await turn.getByRole('link', { name: /Details of the turn by Priya/ }).click();
    await page.getByRole('heading', { name: 'What Engram drew from it' }).waitFor();
    assert.match((await page.locator('ul.derived').textContent()) ?? '', /first mug on 30 March 2024/);
    assert.ok((await layoutShift(page)) < 0.1);
    assert.deepEqual(errors, []);
    await close();
  });

  test("facts: current facts with source turns and what they replaced; a fact's chain and history", async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.admin,
      hash: '#/u/maya/facts',
    });
    const fact = (start: string) =>
      page.locator('article.memory', {
        has: page.locator('.memory-text', { hasText: new RegExp(`^${start}`) }),
      });
    const lisbon = fact('Maya lives in Lisbon');
    await lisbon.waitFor();
    assert.equal(await fact('Maya lives in Montreal').count(), 0);
    assert.match(
      (await lisbon.locator('.sources').textContent()) ?? '',
      /Maya said, 20 Jun 2024.*Big news: I moved to Lisbon last week!/,
    );
    assert.match(
      (await lisbon.locator('.chain').textContent()) ?? '',
      /replaced “Maya lives in Montreal\.” \(true from 15 Jan 2024 until 20 Jun 2024\)/,
    );
    // Superseded facts on their own, on request.
    await page.getByLabel('Also list superseded and archived facts on their own').check();
    const montreal = fact('Maya lives in Montreal');
    await montreal.waitFor();
    assert.match((await montreal.locator('.badge').allTextContents()).join(' '), /superseded/);
    // Its own page: closed by the Lisbon fact, with both history entries.
    await montreal.getByRole('link', { name: /Details of fact/ }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.match(
      (await page.locator('.chain').textContent()) ?? '',
      /superseded on 20 Jun 2024 by “Maya lives in Lisbon/,
    );
    await page.locator('.history-entry').nth(1).waitFor();
    assert.deepEqual(await page.locator('.history-entry .badge').allTextContents(), ['add', 'supersede']);
    assert.match((await page.locator('.history-entry').nth(1).textContent()) ?? '', /supersededBy: — →/);
    assert.match(
      (await page.locator('.sources').textContent()) ?? '',
      /I live in Montreal and I work at a bakery\./,
    );
    assert.deepEqual(errors, []);
    await close();
  });

  test("search: keyboard only — query, hits with score bars, the context block, then a hit's details", async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.read });
    await page.locator('.user-card').first().waitFor();
    await tabTo(page, (el) => el.tag === 'a' && el.text === 'Search');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search', exact: true }).waitFor();
    // The user list arrives over the API; choosing needs its options.
    await page.waitForFunction(
      () => (document.querySelector('main select') as HTMLSelectElement).options.length > 1,
    );
    await tabTo(page, (el) => el.tag === 'select');
    // Closed <select>: arrows change the value; the view follows the chosen user.
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/#\/u\/maya\/search$/);
    await tabTo(page, (el) => el.name === 'query');
    await page.keyboard.type('where does Maya live now?');
    await page.keyboard.press('Enter');
    const hits = page.locator('ol.hits > li');
    await hits.first().waitFor();
    assert.match((await hits.first().locator('.memory-text').textContent()) ?? '', /Lisbon/);
    const bars = hits.first().locator('.bar-row');
    assert.ok((await bars.count()) >= 3);
    assert.deepEqual((await bars.locator('dt').allTextContents()).slice(0, 2), ['bm25', 'fused']);
    const widths = await hits
      .first()
      .locator('.bar-fill')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).style.width));
    assert.ok(
      widths.every((w) => /^\d+(\.\d+)?%$/.test(w)),
      String(widths),
    );
    assert.ok(widths.includes('100%'));
    const context = await page.getByRole('region', { name: 'Context block' }).textContent();
    assert.match(context ?? '', /Maya lives in Lisbon/);
    assert.doesNotMatch(context ?? '', /Maya lives in Montreal/);
    // Into the first hit, still by keyboard.
    await tabTo(page, (el) => el.tag === 'a' && /^Details of/.test(el.text));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.match(page.url(), /#\/m\/[0-9A-Z]{26}$/);
    assert.deepEqual(errors, []);
    await close();
  });

  test('search filters: asOf brings back the old fact, kind and session narrow the hits', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.read,
      hash: '#/u/maya/search',
    });
    await page.getByLabel('Query').fill('where does Maya live?');
    await page.getByLabel('As of').fill('2024-03-01');
    await page.getByRole('checkbox', { name: 'fact' }).check();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('ol.hits > li').first().waitFor();
    const texts = await page.locator('ol.hits .memory-text').allTextContents();
    assert.ok(texts.includes('Maya lives in Montreal.'), String(texts));
    assert.ok(!texts.some((t) => t.includes('Lisbon')), String(texts));
    const then = (await page.getByRole('region', { name: 'Context block' }).textContent()) ?? '';
    assert.match(then, /Maya lives in Montreal/);
    assert.doesNotMatch(then, /Maya lives in Lisbon/);
    await page.getByLabel('As of').fill('');
    await page.getByRole('checkbox', { name: 'fact' }).uncheck();
    await page.getByLabel('Session').selectOption('2024-01-15-intro');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('ol.hits .meta')].every((m) =>
        m.textContent?.includes('2024-01-15-intro'),
      ),
    );
    assert.ok((await page.locator('ol.hits > li').count()) > 0);
    assert.deepEqual(errors, []);
    await close();
  });

  test('a memory holding markup shows the characters and runs nothing', async () => {
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.admin,
      hash: '#/u/mallory',
    });
    const text = page.locator('.memory-text, .fact-line a').filter({ hasText: XSS_TEXT });
    await text.first().waitFor();
    assert.equal(await text.first().textContent(), XSS_TEXT);
    assert.equal(await page.locator('main img').count(), 0);
    await page.getByRole('link', { name: XSS_TEXT }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.equal(await page.locator('article.memory .memory-text').textContent(), XSS_TEXT);
    assert.equal(await page.locator('main img').count(), 0);
    // The page handler turns any alert() into an error entry.
    assert.deepEqual(errors, []);
    await close();
  });

  test('a read key sees no change controls anywhere', async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.read, hash: '#/u/maya' });
    await page.locator('.turn').first().waitFor();
    assert.equal(await page.getByText('default · read').count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Erase/ }).count(), 0);
    await page.locator('.turn-link').first().click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    for (const name of [/Edit/, /Archive/, /Restore/, /Delete/, /Erase/]) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, String(name));
    }
    await page.goto(`${s.url}/#/data`);
    await page.getByRole('heading', { name: 'Data' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Import' }).count(), 0);
    assert.equal(await page.getByText('Import and erasure need an admin key.').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Export JSONL' }).count(), 1);
    // The admin view is not in the menu, and its API refuses this key anyway.
    assert.equal((await s.call('GET', '/v1/keys', undefined, s.keys.read)).status, 403);
    assert.deepEqual(errors, []);
    await close();
  });

  test('every view at 360 px: no sideways scrolling, no console errors', async () => {
    const mayaFact = (await (await s.call('GET', '/v1/memories?user=maya&kind=fact')).json()).items[0]
      .id as string;
    for (const hash of [
      '#/',
      '#/u/maya',
      '#/u/maya/facts',
      '#/u/maya/entities',
      '#/u/maya/e/person%3Amaya',
      '#/u/maya/search',
      `#/m/${mayaFact}`,
      '#/data',
      '#/admin',
    ]) {
      const { page, errors, close } = await openDashboard(browser, s, {
        key: s.keys.admin,
        hash,
        width: 360,
        height: 740,
      });
      await page.locator('main h1').first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.equal(overflow, 0, `${hash} scrolls sideways by ${overflow}px`);
      const shift = await layoutShift(page);
      assert.ok(shift < 0.1, `${hash} layout shift ${shift}`);
      assert.deepEqual(errors, [], hash);
      await close();
    }
  });

  test('admin: tenant stats, health and keys, for admin keys only', async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.admin, hash: '#/admin' });
    await page.getByRole('heading', { name: 'Tenant default' }).waitFor();
    await page.locator('.stat-grid').waitFor();
    assert.match((await page.locator('.stat-grid').textContent()) ?? '', /users3/);
    await page.getByText('live ok').waitFor();
    assert.equal(await page.locator('table.keys tbody tr').count(), 3);
    assert.deepEqual(errors, []);
    await close();
    const writer = await openDashboard(browser, s, { key: s.keys.write, hash: '#/' });
    await writer.page.locator('.user-card').first().waitFor();
    assert.equal(await writer.page.getByRole('link', { name: 'Admin' }).count(), 0);
    await writer.close();
  });
});

describe('dashboard without keys (development mode) and error states', () => {
  let dev: TestServer;
  let browser: Browser;
  before(async () => {
    dev = await startTestServer({ auth: 'auto' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await dev?.stop();
  });

  test('opens without a key, says so, and shows empty and error states plainly', async () => {
    const { page, errors, close } = await openDashboard(browser, dev);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    assert.equal(await page.getByText('dev mode').count(), 1);
    assert.equal(await page.getByText('default · admin').count(), 1);
    await page.getByText('No memories yet.').waitFor();
    assert.deepEqual(errors, []);
    await page.goto(`${dev.url}/#/m/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(
      (await alert.textContent()) ?? '',
      /NOT_FOUND: No memory with id 01ARZ3NDEKTSV4RRFFQ69G5FAV/,
    );
    assert.equal(await alert.getByRole('button', { name: 'Try again' }).count(), 1);
    // The only console line is the browser reporting that 404.
    assert.deepEqual(
      errors.filter((e) => !/status of 404/.test(e)),
      [],
    );
    await close();
  });
});
