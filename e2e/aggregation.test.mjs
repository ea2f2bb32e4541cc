// End-to-end: KPL aggregation on the page. Many small records overrun one shard's
// 1,000 records/s; ticking "Aggregate records (KPL)" packs them, the throttling stops,
// and the de-aggregation checkbox of the Lambda function writes its setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, screenshot } from './harness.mjs';

const site = siteUnderTest('/kpl/');

// 5 instances × 1,000 records/s of 100 B on one shard: five times the records limit,
// half a MiB/s of bytes.
const SMALL = '#stream.shards=1&producers.0.instances=5&producers.0.records_per_sec=1000&producers.0.record_bytes=100&speed=600';

/** The throttled chart's text alternative: WriteProvisionedThroughputExceeded's last minute. */
async function throttledNow(page) {
  const text = await page.textContent('#kp-chart-throttled-text');
  const m = /WriteProvisionedThroughputExceeded ([^;,\s]+)/.exec(text);
  assert.ok(m, `no throttled line in ${JSON.stringify(text)}`);
  return m[1];
}

/** Plays until the clock reads at least `clock`, then pauses. */
async function playUntil(page, clock) {
  await page.click('button[data-action=play]');
  await page.waitForFunction((c) => document.querySelector('.clock').textContent >= c, clock, { timeout: 30000 });
  await page.click('button[data-action=play]');
}

test('ticking "Aggregate records (KPL)" stops small records being throttled', async () => {
  const { page, context, problems } = await site.open(SMALL);
  const box = 'input[data-toggle="producers.0.aggregation"]';
  await page.waitForSelector(box);
  assert.equal(await page.isChecked(box), false, 'aggregation is off by default');
  // Its two sliders sit under it with the KPL's defaults.
  assert.equal(await page.getAttribute('#kp-producers-0-aggregation_max_bytes', 'aria-valuetext'), '50 KiB');
  assert.equal(await page.getAttribute('#kp-producers-0-record_max_buffered_time_ms', 'aria-valuetext'), '100 ms');
  await playUntil(page, 'day 1 · 00:03:00');
  // Without aggregation the shard refuses records (once the chart's text has caught up).
  await page.waitForFunction(
    () => /WriteProvisionedThroughputExceeded [1-9]/.test(document.querySelector('#kp-chart-throttled-text').textContent),
    null,
    { timeout: 10000 },
  );
  assert.notEqual(await throttledNow(page), '0');
  await page.check(box);
  assert.equal(await page.textContent('.banner .message'), '', 'the edit is accepted');
  // Packed, 5,000 user records/s fit one shard: five minutes on, the last minute's
  // throttling reads 0 (once the chart's text has caught up with the pause).
  await playUntil(page, 'day 1 · 00:08:00');
  await page.waitForFunction(
    () => /WriteProvisionedThroughputExceeded 0[;,\s]/.test(document.querySelector('#kp-chart-throttled-text').textContent),
    null,
    { timeout: 10000 },
  );
  assert.equal(await throttledNow(page), '0');
  assert.equal(await page.isChecked(box), true);
  await screenshot(page, 'kpl-aggregation.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the Lambda panel offers de-aggregation and the link keeps it', async () => {
  const { page, context, problems } = await site.open(SMALL);
  const box = 'input[data-toggle="consumers.lambda.deaggregate"]';
  await page.waitForSelector(box);
  assert.equal(await page.isChecked(box), false);
  await page.check(box);
  await page.waitForFunction(() => /deaggregate=true/.test(location.hash));
  assert.equal(await page.isChecked(box), true);
  assert.deepEqual(problems, []);
  await context.close();
});
