// End-to-end: the charts as CloudWatch would show them, on the preset whose minutes
// look fine while its seconds are throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, screenshot } from './harness.mjs';

const site = siteUnderTest('/kp/');

/** The text alternative of chart `id`. */
function chartText(page, id) {
  return page.$eval(`#chart-${id} canvas`, (c) => document.getElementById(c.getAttribute('aria-describedby')).textContent);
}

/** Waits until chart `id`'s text alternative starts with `start` (a redraw after a menu change). */
function textStarts(page, id, start) {
  return page.waitForFunction(([id, start]) => {
    const c = document.querySelector(`#chart-${id} canvas`);
    return document.getElementById(c.getAttribute('aria-describedby')).textContent.startsWith(start);
  }, [id, start]);
}

/** Waits until every chart has been drawn again for the paused moment. */
function drawn(page) {
  return page.waitForFunction(() => [...document.querySelectorAll('.charts canvas')]
    .every((c) => c.dataset.until === document.querySelector('.clock').textContent));
}

test('1-minute datapoints hide the bursts the per-second truth shows', async () => {
  const { page, context, problems } = await site.open('#preset=hidden-bursts');
  await page.waitForSelector('#chart-incoming canvas');
  await page.uncheck('[data-ui=pause-checkpoints]');
  await page.selectOption('#kp-speed', '600');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 00:12:00', null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  await drawn(page);
  // Each second: the 1,300 records/s a minute averages, a share of the limit.
  assert.match(await chartText(page, 'incoming'), /^Incoming: 1,(299|300|301)\/s .*IncomingRecords 65%/);
  await page.selectOption('#kp-period', '60');
  await page.selectOption('#kp-stat', 'Sum');
  await textStarts(page, 'incoming', 'IncomingRecords Sum 7');
  // A minute's Sum: 78,000 of the 120,000 two shards take, though 162,000 were tried.
  const minute = await chartText(page, 'incoming');
  assert.match(minute, /^IncomingRecords Sum (77,999|78,000|78,001) per 1 min \(limit 120,000\)/);
  assert.match(minute, /IncomingRecords \(Sum\) (77,999|78,000|78,001); IncomingRecords \+ WriteProvisionedThroughputExceeded \(Sum\): tried 162 k; write limit \(60,000 records per shard per 1 min\) 120 k\.$/);
  assert.doesNotMatch(minute, /offered/, 'what producers offer is no CloudWatch metric');
  assert.match(await chartText(page, 'throttled'), /^Throttled and dropped writes · CloudWatch, 1 min, .*WriteProvisionedThroughputExceeded \(Sum\) \d/);
  await page.check('[data-ui=truth]');
  await textStarts(page, 'incoming', 'IncomingRecords Sum 1,');
  // Side by side in records/s: the minute's 1,300 against seconds at the 2,000 limit.
  const both = await chartText(page, 'incoming');
  assert.match(both, /^IncomingRecords Sum 1,(299|300)\/s \(limit 2,000\)/);
  assert.match(both, /IncomingRecords \(Sum\) 1,(299|300); IncomingRecords, each second up to 2,000;/);
  assert.match(both, /offered records \(first attempts\), each second up to 6,50\d/);
  // Back to each second: the page is as it was.
  await page.selectOption('#kp-period', '0');
  await textStarts(page, 'incoming', 'Incoming: ');
  assert.match(await chartText(page, 'incoming'), /^Incoming: 1,(299|300|301)\/s /);
  await screenshot(page, 'cloudwatch-truth-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});
