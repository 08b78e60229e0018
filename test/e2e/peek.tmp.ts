import { launchBrowser, openDashboard, startSeededServer } from './harness.js';
const s = await startSeededServer();
console.log(s.url, s.keys.admin);
const b = await launchBrowser();
for (const [name, hash, w] of [['users', '#/', 1280], ['timeline', '#/u/maya', 1280], ['facts', '#/u/maya/facts', 1280], ['data', '#/data', 1280], ['admin', '#/admin', 1280], ['users360', '#/', 360], ['mallory', '#/u/mallory', 1280]] as const) {
  const p = await openDashboard(b, s, { key: s.keys.admin, hash, width: w });
  await p.page.waitForTimeout(1500);
  await p.page.screenshot({ path: `/tmp/peek-${name}.png`, fullPage: true });
  console.log(name, p.errors);
  await p.close();
}
await b.close();
await s.stop();
