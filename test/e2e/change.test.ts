/**
 * Changing memory from the dashboard in Chromium: edit then see the diff in the history, archive and restore,
 * delete, erase a memory, erase a whole user after a confirmation that names what is lost, export and
 * import JSONL, API keys created (shown once) and revoked, maintenance with its report.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type E2eServer, launchBrowser, openDashboard, startSeededServer, XSS_TEXT } from './harness.js';

interface MemoryRow {
  id: string;
  text: string;
  user: string;
  status: string;
}

describe('changing memory from the dashboard', () => {
  let s: E2eServer;
  let browser: Browser;
  const list = async (query: string): Promise<MemoryRow[]> =>
    (await (await s.call('GET', `/v1/memories?${query}`)).json()).items;
  before(async () => {
    s = await startSeededServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  test('edit a fact, then see the old and new text as a diff in its history', async () => {
    const fact = (await list('user=maya&kind=fact')).find((m) => m.text.startsWith('Maya lives in Lisbon'))!;
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.write,
      hash: `#/m/${fact.id}`,
    });
    await page.getByRole('button', { name: 'Edit text' }).click();
    const box = page.getByLabel('Text');
    await box.fill('Maya lives in Porto (moved there in June 2024).');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. The old text is in the history below.').waitFor();
    await page.locator('article.memory .memory-text', { hasText: 'Porto' }).waitFor();
    const update = page.locator('.history-entry.action-update');
    await update.waitFor();
    assert.equal(await update.locator('del').first().textContent(), 'Lisbon');
    assert.equal(await update.locator('ins').first().textContent(), 'Porto');
    assert.match((await update.textContent()) ?? '', /by key:/);
    assert.equal(
      (await (await s.call('GET', `/v1/memories/${fact.id}`)).json()).text,
      'Maya lives in Porto (moved there in June 2024).',
    );
    assert.deepEqual(errors, []);
    await close();
  });

  test('archive and restore a memory; delete one after a confirmation that quotes it', async () => {
    const note = (await list('user=maya&kind=note'))[0];
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.write,
      hash: `#/m/${note.id}`,
    });
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived: left out of search until restored.').waitFor();
    assert.equal((await (await s.call('GET', `/v1/memories/${note.id}`)).json()).status, 'archived');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Restored: searched again.').waitFor();
    assert.equal((await (await s.call('GET', `/v1/memories/${note.id}`)).json()).status, 'active');
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this memory?' });
    assert.match((await dialog.textContent()) ?? '', /Prefers answers in short bullet points\./);
    // Escape cancels: nothing changes.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await (await s.call('GET', `/v1/memories/${note.id}`)).json()).status, 'active');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted: kept in history only; it can no longer be changed.').waitFor();
    assert.equal((await (await s.call('GET', `/v1/memories/${note.id}`)).json()).status, 'deleted');
    assert.deepEqual(await page.locator('.history-entry .badge').allTextContents(), [
      'add',
      'archive',
      'update',
      'delete',
    ]);
    // A write key cannot erase: that button is for admin keys.
    assert.equal(await page.getByRole('button', { name: /Erase/ }).count(), 0);
    assert.deepEqual(errors, []);
    await close();
  });

  test('erase a memory: the user whose only memory it was is gone', async () => {
    const [xss] = await list('user=mallory');
    const { page, errors, close } = await openDashboard(browser, s, {
      key: s.keys.admin,
      hash: `#/m/${xss.id}`,
    });
    await page.getByRole('button', { name: 'Erase…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this memory for good?' });
    assert.equal(await dialog.locator('blockquote').textContent(), XSS_TEXT);
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    // Nothing is left of mallory, so the dashboard goes back to the users.
    await page.waitForURL(/#\/$/);
    await page.locator('.user-card').first().waitFor();
    assert.equal((await s.call('GET', `/v1/memories/${xss.id}`)).status, 404);
    assert.deepEqual(await page.locator('.user-name').allTextContents(), ['maya', 'priya']);
    assert.deepEqual(errors, []);
    await close();
  });

  test('export a user, erase them after typing their name, see them gone, import them back', async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.admin, hash: '#/data' });
    await page.getByLabel('Whose memories').selectOption('maya');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSONL' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'engram-maya.jsonl');
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const exported = lines.map((l) => JSON.parse(l) as MemoryRow);
    assert.ok(exported.length >= 10);
    assert.ok(exported.every((m) => m.user === 'maya'));
    await page.getByText(`Exported ${exported.length} memories.`).waitFor();

    // Erase from the user's own page: the dialog names what goes, and wants the name typed.
    await page.goto(`${s.url}/#/u/maya`);
    await page.getByRole('button', { name: 'Erase user…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase everything about maya?' });
    const said = (await dialog.textContent()) ?? '';
    assert.match(said, /\d+ memories \(6 turns, \d+ facts/);
    assert.match(said, /across 2 sessions/);
    const erase = dialog.getByRole('button', { name: 'Erase for good' });
    assert.equal(await erase.isDisabled(), true);
    await dialog.getByLabel('Type maya to confirm').fill('may');
    assert.equal(await erase.isDisabled(), true);
    await dialog.getByLabel('Type maya to confirm').fill('maya');
    await erase.click();
    await page.waitForURL(/#\/$/);
    await page.locator('.user-card').first().waitFor();
    assert.deepEqual(await page.locator('.user-name').allTextContents(), ['priya']);
    assert.deepEqual(await list('user=maya&includeDeleted=true&includeSuperseded=true'), []);

    // And back from the export.
    await page.goto(`${s.url}/#/data`);
    await page.getByLabel('JSONL file').setInputFiles({
      name: 'engram-maya.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: readFileSync(file),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText(`Imported ${exported.length} memories from engram-maya.jsonl.`).waitFor();
    await page.goto(`${s.url}/#/`);
    await page.locator('.user-card').nth(1).waitFor();
    assert.deepEqual((await page.locator('.user-name').allTextContents()).sort(), ['maya', 'priya']);
    assert.deepEqual(errors, []);
    await close();
  });

  test('API keys: create one (shown once), use it, revoke it', async () => {
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.admin, hash: '#/admin' });
    await page.getByLabel('Role').selectOption('read');
    await page.getByLabel('Name (optional)').fill('support bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByLabel('The new API key').textContent()) ?? '';
    assert.match(secret, /^egk_/);
    assert.equal((await s.call('GET', '/v1/whoami', undefined, secret)).status, 200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByText(secret).count(), 0);
    const row = page.locator('table.keys tbody tr').filter({ hasText: 'support bot' });
    assert.match((await row.textContent()) ?? '', new RegExp(secret.slice(0, 12)));
    await row.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await s.call('GET', '/v1/whoami', undefined, secret)).status, 401);
    await page.getByLabel('Show revoked keys').check();
    await page
      .locator('table.keys tbody tr')
      .filter({ hasText: 'support bot' })
      .getByText(/revoked/)
      .waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  test('maintain: a dry run reports and changes nothing', async () => {
    const before = (await (await s.call('GET', '/v1/stats')).json()).historyEntries;
    const { page, errors, close } = await openDashboard(browser, s, { key: s.keys.admin, hash: '#/admin' });
    await page.getByRole('button', { name: 'Run maintenance' }).click();
    const report = page.locator('.report');
    await report.waitFor();
    assert.match(
      (await report.textContent()) ?? '',
      /Dry run — nothing changed\. It would have: 2 users checked/,
    );
    assert.equal(await report.locator('tr').count(), 5);
    assert.equal((await (await s.call('GET', '/v1/stats')).json()).historyEntries, before);
    assert.deepEqual(errors, []);
    await close();
  });
});
