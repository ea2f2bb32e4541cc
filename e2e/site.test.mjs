// End-to-end: the built site, served from a sub-path, in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, canvasFingerprint, screenshot } from './harness.mjs';

const site = siteUnderTest('/course/kinesis/');

/** Moves the slider `id` to its last position with the keyboard. */
async function slideToEnd(page, id) {
  await page.focus(`#${id}`);
  await page.keyboard.press('End');
}

test('the page loads from a sub-path with no console errors and draws every chart', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#chart-incoming canvas');
  assert.equal(await page.textContent('h1'), 'Kinesis Playground');
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:00');
  for (const id of ['incoming', 'throttled', 'age', 'loss', 'lambda', 'reads', 'processed', 'errors', 'shards']) {
    const chart = await canvasFingerprint(page, `#chart-${id} canvas`);
    assert.ok(chart.drawn > chart.total * 0.005, `${id}: only ${chart.drawn} of ${chart.total} pixels drawn`);
  }
  // Once loaded, the playground asks the network for nothing, even while it runs.
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.click('button[data-action=play]');
  // At 3,600× the clock passes ten simulated minutes after a few hundred frames.
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 1 · 00:10:00');
  assert.deepEqual(requests, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every control is reachable with the keyboard and moving one edits the run', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#chart-incoming canvas');
  const before = await canvasFingerprint(page, '#chart-incoming canvas');
  await page.focus('#kp-producers-0-instances');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('label[for=kp-producers-0-instances] + output'), '8');
  await page.click('button[data-action=step]');
  const after = await canvasFingerprint(page, '#chart-incoming canvas');
  assert.notEqual(after.hash, before.hash, 'the incoming chart did not change');
  // Tab order reaches every slider, menu, button and file input: each one, by name.
  const name = (el) => el?.id || el?.getAttribute('aria-label') || el?.textContent;
  const controls = await page.$$eval('input, select, button', (els) =>
    els.map((el) => el.id || el.getAttribute('aria-label') || el.textContent));
  assert.ok(controls.length >= 30, `${controls.length} controls`);
  const seen = new Set();
  for (let i = 0; i < controls.length + 5; i += 1) {
    await page.keyboard.press('Tab');
    seen.add(await page.evaluate(`(${name.toString()})(document.activeElement)`));
  }
  assert.deepEqual(controls.filter((c) => !seen.has(c)), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an overloaded stream at 86,400× shows throttling, growing iterator age and loss', async () => {
  for (const [width, height, name] of [[1280, 800, 'overload-1280x800.png'], [390, 844, 'overload-390x844.png']]) {
    const { page, context, problems } = await site.open('', { width, height });
    await page.waitForSelector('#chart-incoming canvas');
    // 4 instances × 5,000 records/s on 2 shards, and a Lambda at 100 ms per record.
    await slideToEnd(page, 'kp-producers-0-records_per_sec');
    await page.focus('#kp-consumers-lambda-ms_per_record');
    await page.keyboard.press('End');
    await page.selectOption('#kp-speed', '86400');
    const ageBefore = await canvasFingerprint(page, '#chart-age canvas');
    await page.click('button[data-action=play]');
    // The spoken summary refreshes every 2 s; wait until it speaks of day 3 or later.
    await page.waitForFunction(() => /^At day [3-9]/.test(document.querySelector('.summary .numbers').textContent), null, { timeout: 40000 });
    const summary = await page.textContent('.summary .numbers');
    const throttled = Number(/([\d,]+) records\/s are throttled/.exec(summary)[1].replace(/,/g, ''));
    assert.ok(throttled > 1000, `throttled ${throttled}/s in: ${summary}`);
    const dropped = Number(/dropped ([\d,]+) records/.exec(summary)[1].replace(/,/g, ''));
    assert.ok(dropped > 0, summary);
    assert.match(summary, /lambda: iterator age (2[0-4]\.\d h|1\.0 d)/, 'iterator age reached the retention');
    const expired = Number(/([\d,]+) records expired/.exec(summary)[1].replace(/,/g, ''));
    assert.ok(expired > 0, summary);
    // The diagnosis names the losses: producer drops and expired records.
    const diagnosis = await page.$$eval('.diagnosis li.loss', (items) => items.map((i) => i.textContent));
    assert.ok(diagnosis.some((t) => /Producers gave up/.test(t)), diagnosis.join('\n'));
    assert.ok(diagnosis.some((t) => /lambda: [\d,]+ records expired unread/.test(t)), diagnosis.join('\n'));
    const ageAfter = await canvasFingerprint(page, '#chart-age canvas');
    assert.notEqual(ageAfter.hash, ageBefore.hash);
    await page.click('button[data-action=play]');
    await screenshot(page, name);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the layout stacks on a phone-sized screen without sideways scrolling', async () => {
  const { page, context, problems } = await site.open('', { width: 390, height: 844 });
  await page.waitForSelector('#chart-incoming canvas');
  const controls = await page.$eval('.controls', (e) => e.getBoundingClientRect().toJSON());
  const chart = await page.$eval('#chart-incoming canvas', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(chart.top >= controls.bottom, 'the charts sit under the controls');
  assert.ok(chart.width <= 390 && chart.width > 300, `chart width ${chart.width}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow} px wide`);
  await screenshot(page, 'page-390x844.png');
  assert.deepEqual(problems, []);
  await context.close();
});
