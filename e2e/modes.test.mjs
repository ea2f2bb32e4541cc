// End-to-end: the capacity mode menu (and AWS's limit on switches), the cost of the
// same run in each mode, and pre-warming the launch-day preset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, screenshot } from './harness.mjs';

const site = siteUnderTest('/modes/');

/** The cost panel's rows for the three modes: [name, stream $, with consumers $, month $]. */
function modeRows(page) {
  return page.$$eval('.cost table.modes tbody tr', (rows) => rows.map((r) =>
    [r.querySelector('th').textContent, ...[...r.querySelectorAll('td')].map((d) => Number(d.textContent.replace(/[$,]/g, '')))]));
}

test('the mode menu switches modes twice a day and says why a third switch is refused', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-mode');
  assert.equal(await page.$eval('#kp-mode option:checked', (o) => o.textContent), 'Provisioned');
  await page.selectOption('#kp-mode', { label: 'On-demand Standard' });
  await page.selectOption('#kp-speed', '600');
  await page.click('button[data-action=play]');
  // A new on-demand stream of 2 shards grows to the 4 of its minimum 15 minutes on.
  await page.waitForFunction(() => /4 shards take/.test(document.querySelector('.summary .numbers').textContent), null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  await page.selectOption('#kp-mode', { label: 'Provisioned' });
  assert.equal(await page.textContent('.banner .message'), '', 'the second switch is allowed');
  await page.selectOption('#kp-mode', { label: 'On-demand Advantage' });
  await page.waitForFunction(() => /at most 2 times in 24 h/.test(document.querySelector('.banner .message').textContent));
  assert.equal(await page.$eval('#kp-mode option:checked', (o) => o.textContent), 'Provisioned', 'the menu shows the mode in use');
  const rows = await modeRows(page);
  assert.deepEqual(rows.map((r) => r[0].split(' (')[0].split(' ·')[0]), ['Provisioned', 'On-demand Standard', 'On-demand Advantage']);
  assert.match(rows[0][0], /\(in use\)/);
  await screenshot(page, 'mode-switch-refused.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the steady stream costs least provisioned, then Advantage, then Standard', async () => {
  const { page, context, problems } = await site.open('#preset=steady-big');
  await page.waitForSelector('.cost table.modes');
  await page.uncheck('.pause-checkpoints input');
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 02:00:00', null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  const [provisioned, standard, advantage] = await modeRows(page);
  assert.match(provisioned[0], /Provisioned \(in use\) · cheapest/);
  // A month at this pace: about $447, $7,960 and $3,620 for the stream, plus the consumers.
  assert.ok(standard[3] > advantage[3], 'Standard dearer than Advantage');
  assert.ok(advantage[3] > provisioned[3], 'Advantage dearer than provisioned');
  const ratio = standard[1] / provisioned[1];
  assert.ok(ratio > 17.5 && ratio < 18.5, `Standard is ${ratio} times the provisioned stream`);
  await page.$eval('.cost', (e) => e.scrollIntoView());
  await screenshot(page, 'cost-by-mode.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Fix it" on launch day pre-warms the stream with Advantage', async () => {
  const { page, context, problems } = await site.open('#preset=launch-day');
  await page.waitForSelector('button.fix');
  await page.click('button.fix');
  assert.equal(await page.$eval('#kp-mode option:checked', (o) => o.textContent), 'On-demand Advantage');
  assert.equal(await page.textContent('label[for=kp-stream-warm_throughput_mibps] + output'), '12 MiB/s');
  await page.uncheck('.pause-checkpoints input');
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 01:30:00', null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  // The launch at 1 h met 12 warm shards: nothing was throttled.
  assert.match(await page.textContent('.summary .numbers'), /12 shards take/);
  assert.match(await page.textContent('.summary .numbers'), /throttle 0 records\/s; producers dropped 0 records so far/);
  assert.deepEqual(problems, []);
  await context.close();
});
