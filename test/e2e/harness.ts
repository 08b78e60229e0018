/**
 * The dashboard's end-to-end rig: a real `engram serve` child process on a temp database seeded with the
 * repo's LoCoMo fixture (ingested by the real CLI) plus a few memories written over REST, and Debian's
 * Chromium driven by playwright-core. Shared by the e2e tests and `npm run screenshots`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { type ServeChild, spawnServe } from '../server/child.js';
import { engramBin } from '../server/helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'locomo-mini.json');
export const XSS_TEXT = '<img src=x onerror=alert(1)>';
/** The LoCoMo fixture's conversation is filed under this user. */
export const LOCOMO_USER = 'priya';

export interface Keys {
  admin: string;
  write: string;
  read: string;
}

export interface E2eServer {
  url: string;
  dir: string;
  db: string;
  keys: Keys;
  serve: ServeChild;
  /** REST call with a key (admin by default). */
  call(method: string, path: string, body?: unknown, key?: string): Promise<Response>;
  stop(): Promise<void>;
}

function cli(db: string, args: string[]): string {
  const bin = engramBin();
  const r = spawnSync(bin.command, [...bin.args, '--db', db, '--embedder', 'none', '--json', ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`engram ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function createKey(db: string, role: keyof Keys): string {
  const out = JSON.parse(
    cli(db, ['keys', 'create', '--tenant', 'default', '--role', role, '--name', `e2e ${role}`]),
  );
  return out.secret as string;
}

/** A second user whose facts change over time, so the chain and history views have something to show. */
const MAYA_SESSIONS = [
  {
    session: '2024-01-15-intro',
    messages: [
      {
        speaker: 'Maya',
        role: 'user',
        text: 'I live in Montreal and I work at a bakery.',
        at: '2024-01-15T18:02:00Z',
      },
      {
        speaker: 'Assistant',
        role: 'assistant',
        text: 'Nice! What do you bake?',
        at: '2024-01-15T18:02:05Z',
      },
      {
        speaker: 'Maya',
        role: 'user',
        text: 'Mostly sourdough. I am allergic to peanuts, so no peanut cookies.',
        at: '2024-01-15T18:03:10Z',
      },
    ],
  },
  {
    session: '2024-06-20-move',
    messages: [
      {
        speaker: 'Maya',
        role: 'user',
        text: 'Big news: I moved to Lisbon last week!',
        at: '2024-06-20T20:10:00Z',
      },
      {
        speaker: 'Assistant',
        role: 'assistant',
        text: 'Congratulations! How is Lisbon?',
        at: '2024-06-20T20:10:04Z',
      },
      {
        speaker: 'Maya',
        role: 'user',
        text: 'Sunny. I am flying to Tokyo next Friday for a baking course.',
        at: '2024-06-20T20:11:30Z',
      },
    ],
  },
];

export async function startSeededServer(options: { embedder?: string } = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'engram-e2e-'));
  const db = join(dir, 'engram.db');
  cli(db, ['ingest', FIXTURE, '--user', LOCOMO_USER]);
  const keys: Keys = {
    admin: createKey(db, 'admin'),
    write: createKey(db, 'write'),
    read: createKey(db, 'read'),
  };
  const serve = await spawnServe([
    '--db',
    db,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--embedder',
    options.embedder ?? 'none',
    '--no-mcp',
  ]);
  const url = serve.url;
  const call = (method: string, path: string, body?: unknown, key = keys.admin) =>
    fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  for (const s of MAYA_SESSIONS) {
    const r = await call('POST', '/v1/conversations', { user: 'maya', ...s });
    if (r.status !== 201) throw new Error(`seeding maya failed: ${r.status} ${await r.text()}`);
  }
  const notes = [
    {
      user: 'maya',
      kind: 'note',
      text: 'Prefers answers in short bullet points.',
      occurredAt: '2024-06-21T09:00:00Z',
    },
    { user: 'mallory', kind: 'note', text: XSS_TEXT, occurredAt: '2024-05-01T12:00:00Z' },
  ];
  for (const n of notes) {
    const r = await call('POST', '/v1/memories', n);
    if (r.status !== 201) throw new Error(`seeding a note failed: ${r.status} ${await r.text()}`);
  }
  return {
    url,
    dir,
    db,
    keys,
    serve,
    call,
    async stop() {
      serve.child.kill('SIGTERM');
      await serve.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser context (its own sessionStorage) on the dashboard. With `key`, the key is put into the
 * tab's sessionStorage before the app starts, as the sign-in form would.
 */
export async function openDashboard(
  browser: Browser,
  server: { url: string },
  options: { key?: string; hash?: string; width?: number; height?: number } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  if (options.key) {
    await page.addInitScript((key: string) => sessionStorage.setItem('engram.key', key), options.key);
  }
  await page.goto(`${server.url}/${options.hash ?? ''}`);
  return { page, errors, close: () => context.close() };
}

/** Presses Tab until the focused element satisfies `match` (by its accessible text, tag or name attribute). */
export async function tabTo(
  page: Page,
  match: (el: { tag: string; text: string; name: string; type: string }) => boolean,
  max = 60,
) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return {
        tag: a?.tagName.toLowerCase() ?? '',
        text: (a?.getAttribute('aria-label') ?? a?.textContent ?? '').trim(),
        name: a?.getAttribute('name') ?? '',
        type: a?.getAttribute('type') ?? '',
      };
    });
    if (match(el)) return el;
  }
  throw new Error(`Tab never reached the element within ${max} presses`);
}

/** Sum of layout shifts (Layout Instability API) since the page loaded, ignoring shifts right after input. */
export async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & {
            value: number;
            hadRecentInput: boolean;
          })[]) {
            if (!e.hadRecentInput) total += e.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
      }),
  );
}
