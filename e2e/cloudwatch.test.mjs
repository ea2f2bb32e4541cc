// End-to-end: the charts as CloudWatch would show them, on the preset whose minutes
// look fine while its seconds are throttled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, drawn, screenshot } from './harness.mjs';

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

test('1-minute datapoints hide the bursts the per-second truth shows', async () => {
  const { page, context, problems } = await site.open('#preset=hidden-bursts');
  await loaded(page);
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
  assert.match(minute, /IncomingRecords \(Sum\) (77,999|78,000|78,001); IncomingRecords \+ WriteProvisionedThroughputExceeded \(Sum\): tried 162 k; write limit \(60,000 records per shard per 1 min\) 120 k\./);
  assert.doesNotMatch(minute, /offered/, 'what producers offer is no CloudWatch metric');
  assert.match(await chartText(page, 'throttled'), /^Throttled and dropped writes · CloudWatch, 1 min, .*WriteProvisionedThroughputExceeded \(Sum\) \d/);
  await page.check('[data-ui=truth]');
  await textStarts(page, 'incoming', 'IncomingRecords Sum 1,');
  // Side by side in records/s: the minute's 1,300 against seconds at the 2,000 limit.
  const both = await chartText(page, 'incoming');
  assert.match(both, /^IncomingRecords Sum 1,(299|300)\/s \(limit 2,000\)/);
  assert.match(both, /IncomingRecords, each second up to 2,000; IncomingRecords \(Sum\) 1,(299|300);/);
  assert.match(both, /offered records \(first attempts\), each second up to 6,50\d/);
  // Back to each second: the page is as it was.
  await page.selectOption('#kp-period', '0');
  await textStarts(page, 'incoming', 'Incoming: ');
  assert.match(await chartText(page, 'incoming'), /^Incoming: 1,(299|300|301)\/s /);
  await screenshot(page, 'cloudwatch-truth-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('alarms: the recommended ones, one added by hand, a refused line, a removal, and the mark when one fires', async () => {
  const { page, context, problems } = await site.open('#preset=hidden-bursts');
  await loaded(page);
  await page.uncheck('[data-ui=pause-checkpoints]');
  const items = () => page.$$eval('.alarms li', (lis) => lis.map((li) => li.textContent));
  // The alarms a team should have for this stream, all waiting for data.
  const first = await items();
  assert.equal(first.length, 5);
  assert.ok(first.every((t) => t.startsWith('INSUFFICIENT_DATA')), first.join('\n'));
  assert.match(first[1], /WriteProvisionedThroughputExceeded Sum 1m > 0 1\/1 notBreaching/);
  // A line that is not an alarm says why and stays in the field.
  await page.fill('#kp-alarm', 'IncomingRecords Maximum 1m > 1000');
  await page.press('#kp-alarm', 'Enter');
  assert.match(await page.textContent('.banner'), /New alarm: an alarm is METRIC STATISTIC PERIOD COMPARISON THRESHOLD M\/N \[MISSING\].*has 5 words/);
  assert.equal(await page.inputValue('#kp-alarm'), 'IncomingRecords Maximum 1m > 1000');
  // The limit scaled to five minutes: 600,000 records for two shards.
  await page.fill('#kp-alarm', 'IncomingRecords Sum 5m > 600000 1/1 notBreaching');
  await page.click('button[data-action=add-alarm]');
  assert.equal(await page.inputValue('#kp-alarm'), '');
  await page.selectOption('#kp-speed', '600');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 00:11:00', null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  await drawn(page);
  const later = await items();
  assert.equal(later.length, 6);
  // Throttles fire at the first minute's end; the five-minute Sum stays under the limit.
  assert.match(later[1], /^ALARM WriteProvisionedThroughputExceeded .* since day 1 · 00:01:00 Threshold Crossed: 1 of the last 1 datapoint was greater than the threshold \(0\)/);
  assert.match(later[5], /^OK IncomingRecords Sum 5m > 600000 1\/1 notBreaching since day 1 · 00:05:00 .*Latest: 390,000 at 00:00\./);
  // The firing is marked on the charts and named in their text.
  assert.match(await chartText(page, 'throttled'), /ALARM WriteProvisionedThroughputExceeded/);
  // Removing one leaves the others as they were.
  await page.click('button[data-action="remove-alarm:1"]');
  const removed = await items();
  assert.equal(removed.length, 5);
  assert.ok(!removed.some((t) => t.includes('WriteProvisionedThroughputExceeded Sum')));
  await screenshot(page, 'alarms-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Lambda function\'s on-failure destination: only S3 keeps the records, and the loss chart says so', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-2');
  await loaded(page);
  const menu = '[data-select="consumers.lambda.on_failure"]';
  assert.equal(await page.$eval(menu, (s) => s.value), '"none"');
  assert.deepEqual(await page.$$eval(`${menu} option`, (os) => os.map((o) => o.textContent)), [
    'none: the records are gone',
    'SQS queue: where they were, not the records',
    'SNS topic: where they were, not the records',
    'S3 bucket: the whole batch',
  ]);
  await page.selectOption(menu, '"s3"');
  await page.click('button[data-action=step]');
  await page.waitForFunction(() => {
    const c = document.querySelector('#chart-loss canvas');
    return document.getElementById(c.getAttribute('aria-describedby')).textContent.includes('lambda skipped (whole batches in S3)');
  });
  assert.match(await page.evaluate(() => location.hash), /on_failure/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('per shard: the hot shard stands out, and the download is CloudWatch\'s datapoints with ShardId', async () => {
  const { page, context, problems } = await site.open('#preset=hot-key');
  await loaded(page);
  await page.uncheck('[data-ui=pause-checkpoints]');
  assert.ok((await page.$$eval('#kp-period option', (os) => os.map((o) => o.value))).includes('60-shard'));
  await page.selectOption('#kp-period', '60-shard');
  await page.selectOption('#kp-speed', '600');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 00:04:00', null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  await drawn(page);
  const text = await chartText(page, 'incoming');
  const hot = text.match(/^(shardId-\d{12}) IncomingBytes ([\d.]+)× the average shard/);
  assert.ok(hot, text);
  // One key carries most records: its shard takes about twice the average shard's bytes.
  assert.ok(Number(hot[2]) > 1.5, text);
  assert.match(text, new RegExp(`${hot[1]} \\(Sum\\)`));
  assert.match(text, /average of 4 shards/);
  assert.match(text, /write limit per shard \(60,000\)/);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('button[data-action=csv]')]);
  assert.equal(file.suggestedFilename(), 'kinesis-playground-cloudwatch.csv');
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'Timestamp,Namespace,MetricName,StreamName,ShardId,ConsumerName,FunctionName,ServiceName,Statistic,Period,Value,Unit');
  assert.ok(lines.some((l) => l.startsWith(`1970-01-01T00:02:00Z,AWS/Kinesis,IncomingBytes,hot-key,${hot[1]},,,,Sum,60,`)), lines.slice(0, 5).join('\n'));
  assert.ok(lines.some((l) => /^1970-01-01T00:02:00Z,AWS\/Lambda,Invocations,,,,lambda,,Sum,60,\d+,Count$/.test(l)));
  await screenshot(page, 'per-shard-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});
