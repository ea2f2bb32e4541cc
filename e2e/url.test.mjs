// End-to-end: the settings live in the link's hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, canvasFingerprint } from './harness.mjs';

const site = siteUnderTest('/share/');

test('a link with a preset and changes opens those settings', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-3&stream.shards=4&consumers.ecs.tasks=6&speed=600');
  await page.waitForSelector('#chart-incoming canvas');
  assert.equal(await page.inputValue('#kp-preset'), 'scenario-3');
  assert.equal(await page.inputValue('#kp-speed'), '600');
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '4');
  assert.equal(await page.textContent('label[for=kp-consumers-ecs-tasks] + output'), '6');
  assert.match(await page.textContent('.lesson .question'), /Do they split the records/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('moving a control rewrites the hash, and the link reproduces the same run', async () => {
  const { page, context } = await site.open();
  await page.waitForSelector('#chart-incoming canvas');
  await page.focus('#kp-stream-shards');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => location.hash), '#stream.shards=3&speed=3600');
  const link = await page.evaluate(() => location.href);
  await context.close();
  // Two fresh browser contexts on the link: same settings, same numbers, tick for tick.
  const runs = [];
  for (let i = 0; i < 2; i += 1) {
    const fresh = await site.openUrl(link);
    await fresh.page.waitForSelector('#chart-incoming canvas');
    assert.equal(await fresh.page.textContent('label[for=kp-stream-shards] + output'), '3');
    for (let step = 0; step < 30; step += 1) await fresh.page.click('button[data-action=step]');
    runs.push({
      chart: (await canvasFingerprint(fresh.page, '#chart-incoming canvas')).hash,
      numbers: await fresh.page.textContent('.summary .numbers'),
    });
    await fresh.context.close();
  }
  assert.deepEqual(runs[1], runs[0]);
});

test('a malformed hash shows a specific message and falls back to the defaults', async () => {
  const { page, context, problems } = await site.open('#stream.shards=0');
  await page.waitForSelector('#chart-incoming canvas');
  const status = await page.textContent('.status');
  assert.match(status, /The link's settings were not used: stream\.shards: 0 is out of range 1\.\.=10000/);
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '2');
  const chart = await canvasFingerprint(page, '#chart-incoming canvas');
  assert.ok(chart.drawn > 1000);
  assert.deepEqual(problems, []);
  await context.close();
});
