// End-to-end: the built site, served from a sub-path, in Debian's Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, canvasFingerprint, screenshot } from './harness.mjs';

const site = siteUnderTest('/course/kinesis/');

/** Moves the slider `id` to its last position with the keyboard. */
async function slideToEnd(page, id) {
  await page.focus(`#${id}`);
  await page.keyboard.press('End');
}

test('the page loads from a sub-path with no console errors and draws every chart', async () => {
  const { page, context, problems } = await site.open();
  await loaded(page);
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
  await loaded(page);
  const before = await canvasFingerprint(page, '#chart-incoming canvas');
  await page.focus('#kp-producers-0-instances');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('label[for=kp-producers-0-instances] + output'), '8');
  await page.click('button[data-action=step]');
  const after = await canvasFingerprint(page, '#chart-incoming canvas');
  assert.notEqual(after.hash, before.hash, 'the incoming chart did not change');
  // Tab order reaches every slider, menu, button and file input: each one, by name.
  const name = (el) => el?.id || el?.getAttribute('aria-label') || el?.textContent;
  // (A hidden control, such as the banner's Dismiss with no message, is not a stop.)
  const controls = await page.$$eval('input, select, button', (els) =>
    els.filter((el) => !el.hidden).map((el) => el.id || el.getAttribute('aria-label') || el.textContent));
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
    await loaded(page);
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
    const throttled = Number(/and throttle ([\d,]+) records?\/s/.exec(summary)[1].replace(/,/g, ''));
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
    // Paused, the loss chart's text alternative catches up with the summary: the same
    // total of dropped records at the same moment.
    await page.waitForFunction(() => {
      const total = /dropped ([\d,]+) records so far/.exec(document.querySelector('.summary .numbers').textContent)?.[1];
      const text = document.querySelector('#chart-loss .chart-text')?.textContent ?? '';
      return total !== undefined && text.includes(`dropped by producers ${total}`);
    }, null, { timeout: 10000 });
    await screenshot(page, name);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

/** The viewport box of the element matching `selector`. */
const box = (page, selector) => page.$eval(selector, (e) => e.getBoundingClientRect().toJSON());
/** Whether `r` lies inside a `width` × `height` viewport. */
const inside = (r, width, height) => r.top >= 0 && r.left >= 0 && r.bottom <= height && r.right <= width;

test('at 1280×800 the Shards slider and the Incoming chart are on screen together', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1');
  await loaded(page);
  await page.$eval('#kp-stream-shards', (e) => e.scrollIntoView({ block: 'center' }));
  const slider = await box(page, '#kp-stream-shards');
  const incoming = await box(page, '#chart-incoming canvas');
  assert.ok(inside(slider, 1280, 800), `slider at ${JSON.stringify(slider)}`);
  assert.ok(inside(incoming, 1280, 800), `incoming chart at ${JSON.stringify(incoming)}`);
  assert.ok(incoming.height >= 150, `incoming chart ${incoming.height} px high`);
  // Further down too: the consumers' sliders sit beside the iterator-age chart.
  await page.$eval('#kp-consumers-lambda-ms_per_record', (e) => e.scrollIntoView({ block: 'center' }));
  assert.ok(inside(await box(page, '#kp-consumers-lambda-ms_per_record'), 1280, 800));
  assert.ok(inside(await box(page, '#chart-age canvas'), 1280, 800));
  // Side by side, not on top of each other.
  assert.ok(slider.right <= incoming.left, 'controls and charts overlap');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 1280);
  await screenshot(page, 'layout-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a 390 px phone a chart strip stays in view while the controls scroll, with no sideways page scroll', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1', { width: 390, height: 844 });
  await loaded(page);
  const first = await box(page, '#chart-incoming canvas');
  assert.ok(first.bottom <= 844, `the first chart starts ${first.top} px down`);
  for (const id of ['#kp-stream-shards', '#kp-consumers-lambda-ms_per_record', '#kp-import']) {
    await page.$eval(id, (e) => e.scrollIntoView({ block: 'center' }));
    const control = await box(page, id);
    const chart = await box(page, '#chart-incoming canvas');
    assert.ok(inside(control, 390, 844), `${id} at ${JSON.stringify(control)}`);
    assert.ok(inside(chart, 390, 844), `after scrolling to ${id} the chart is at ${JSON.stringify(chart)}`);
    assert.ok(chart.bottom <= control.top, `the chart strip covers ${id}`);
    assert.ok(chart.width > 250 && chart.width <= 390, `chart width ${chart.width}`);
  }
  // The strip scrolls sideways (a named, focusable region), the page does not.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  const strip = await page.$eval('.charts', (e) => ({
    name: e.getAttribute('aria-label'), tabindex: e.tabIndex, wider: e.scrollWidth > e.clientWidth,
  }));
  assert.deepEqual(strip, { name: 'Charts', tabindex: 0, wider: true });
  // Moving a control brings the chart it changes into the strip: the function's time
  // per record shows on the iterator age, the shard count on the incoming records.
  const shown = async () => page.$$eval('.charts figure', (figures) => figures
    .filter((f) => { const r = f.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })
    .map((f) => f.id));
  await page.focus('#kp-consumers-lambda-ms_per_record');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.charts').dataset.showing === 'age');
  assert.deepEqual(await shown(), ['chart-age']);
  assert.ok(inside(await box(page, '#kp-consumers-lambda-ms_per_record'), 390, 844), 'the slider moved off screen');
  await page.focus('#kp-stream-shards');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.charts').dataset.showing === 'incoming');
  assert.deepEqual(await shown(), ['chart-incoming']);
  // And by keyboard: the focused strip scrolls with the arrow keys.
  await page.focus('.charts');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.charts').scrollLeft > 0);
  await screenshot(page, 'layout-390x844.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a large run\'s cost tables keep the controls in their column, at 1280 px and on a phone', async () => {
  // 1,000 shards at 86,400×: within seconds the cost panel's tables hold amounts like
  // $24,062.73, wider than the controls' column.
  const hash = '#stream.shards=1000&producers.0.instances=1000&producers.0.distinct_keys=1000000';
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { page, context, problems } = await site.open(hash, { width, height });
    await loaded(page);
    await page.selectOption('#kp-speed', '86400');
    await page.click('button[data-action=play]');
    await page.waitForFunction(() => /\$\d{2,3},\d{3}\.\d{2}(?!\d)/.test(document.querySelector('.cost table.modes')?.textContent ?? ''),
      null, { timeout: 60_000 });
    await page.click('button[data-action=play]');
    const column = await page.$eval('.controls', (e) => e.getBoundingClientRect().width);
    const widest = await page.$$eval('.controls .group', (groups) => Math.max(...groups.map((g) => g.getBoundingClientRect().width)));
    assert.ok(widest <= column + 0.5, `a panel ${widest} px wide in a column of ${column} px`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width);
    if (width === 1280) {
      assert.ok(column <= 330, `the controls' column is ${column} px wide`);
      await page.$eval('#kp-stream-shards', (e) => e.scrollIntoView({ block: 'center' }));
      const slider = await box(page, '#kp-stream-shards');
      const stage = await box(page, '.stage');
      assert.ok(slider.right <= stage.left, `the Shards slider (right ${slider.right}) runs under the charts (left ${stage.left})`);
    }
    await screenshot(page, `cost-tables-${width}x${height}.png`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('touch targets are at least 24 × 24 px on a phone', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1', { width: 390, height: 844 });
  await loaded(page);
  const small = await page.$$eval('input, select, button, summary, a[href]', (els) => els
    .filter((e) => e.getClientRects().length > 0)
    .map((e) => {
      // A checkbox is reached through its label, which holds it.
      const target = e.type === 'checkbox' ? e.closest('label') : e;
      const r = target.getBoundingClientRect();
      return { what: e.id || e.getAttribute('data-action') || e.textContent.trim(), w: r.width, h: r.height };
    })
    .filter((t) => t.w < 24 || t.h < 24));
  assert.deepEqual(small, []);
  // The glossary terms' taller targets do not push their lines apart: the lines of
  // help that hold a term are spaced like those that do not.
  const spacing = await page.evaluate(() => {
    const gaps = { term: [], plain: [] };
    for (const p of document.querySelectorAll('.controls p')) {
      const tops = [];
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const rect of range.getClientRects()) tops.push(rect.top);
      }
      const lines = [...new Set(tops)].sort((a, b) => a - b).filter((t, i, a) => i === 0 || t - a[i - 1] > 4);
      (p.querySelector('button.term') ? gaps.term : gaps.plain).push(...lines.slice(1).map((t, i) => t - lines[i]));
    }
    return { lines: [gaps.term.length, gaps.plain.length], term: Math.max(...gaps.term), plain: Math.max(...gaps.plain) };
  });
  assert.ok(spacing.lines.every((n) => n >= 5), `too few lines of help to compare: ${spacing.lines}`);
  assert.ok(spacing.term < spacing.plain + 3, `lines with a term ${spacing.term} px apart, others ${spacing.plain} px`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser without WebAssembly SIMD is told so where the playground would be', async () => {
  // Such a browser cannot compile the module: its check says no and the module never comes.
  const { page, context } = await site.open('', undefined, {}, async (p) => {
    await p.addInitScript(() => { WebAssembly.validate = () => false; });
    await p.route('**/*.wasm', (route) => route.abort());
  });
  await page.waitForFunction(() => document.getElementById('playground').textContent.includes('SIMD'));
  assert.equal(
    (await page.textContent('#playground')).trim(),
    'This browser cannot run the playground: it needs WebAssembly SIMD (Chrome or Edge 91, Firefox 89, Safari 16.4 or later).',
  );
  await context.close();
  // Chromium has SIMD: the loader's check says so, and nothing is said.
  const normal = await site.open();
  await loaded(normal.page);
  assert.ok(!(await normal.page.textContent('#playground')).includes('cannot run'));
  assert.deepEqual(normal.problems, []);
  await normal.context.close();
});

test('a rejected link is shown over the charts and can be dismissed', async () => {
  const { page, context, problems } = await site.open('#stream.shards=0');
  await loaded(page);
  const message = await page.textContent('.banner .message');
  assert.match(message, /^The link's settings were not used: stream\.shards: 0 is not accepted: it takes a whole number from 1 to 10,000/);
  const banner = await box(page, '.banner');
  const chart = await box(page, '#chart-incoming canvas');
  assert.ok(inside(banner, 1280, 800) && banner.bottom <= chart.top, `banner at ${JSON.stringify(banner)}`);
  assert.ok(banner.left >= (await box(page, '.controls')).right, 'the banner sits in the charts column');
  await page.click('.banner button[data-dismiss]');
  assert.equal(await page.textContent('.banner .message'), '');
  assert.equal(await page.$eval('.banner', (e) => e.getBoundingClientRect().height), 1);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'charts');
  assert.deepEqual(problems, []);
  await context.close();
  // On a phone it stays on screen wherever the reader has scrolled, clear of the charts.
  const phone = await site.open('#stream.shards=0', { width: 390, height: 844 });
  await loaded(phone.page);
  await phone.page.$eval('#kp-stream-shards', (e) => e.scrollIntoView({ block: 'center' }));
  const low = await box(phone.page, '.banner');
  assert.ok(inside(low, 390, 844) && low.bottom > 700, `banner at ${JSON.stringify(low)}`);
  assert.ok(low.top >= (await box(phone.page, '#chart-incoming canvas')).bottom);
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test('Reset says what it did, and a reshard that must wait for the call limit says until when', async () => {
  // One UpdateShardCount call a day: 2 → 4 runs at once, 4 → 8 waits a day.
  const { page, context, problems } = await site.open('#stream.max_reshards_per_day=1');
  await loaded(page);
  await page.focus('#kp-stream-shards');
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '8');
  assert.equal(await page.textContent('.status'),
    'resharding 2 → 8: from 4 shards on it waits for the 24 h call limit (1 call a day) until day 2 · 00:00:00');
  await page.click('button[data-action=reset]');
  assert.equal(await page.textContent('.banner .message'),
    'Reset: the run starts again at day 1 · 00:00:00 with the settings as they are now (8 shards, 1 consumer); the charts start empty.');
  assert.equal(await page.textContent('.status'), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('after removing a consumer the keyboard focus stays in the consumers', async () => {
  const { page, context, problems } = await site.open();
  await loaded(page);
  await page.click('button[data-action=add-ecs]');
  assert.deepEqual(await page.$$eval('.consumer legend', (l) => l.map((x) => x.textContent)), ['Lambda: lambda', 'ECS (KCL): ecs']);
  await page.focus('button[data-action="remove:lambda"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'ECS (KCL): ecs');
  await page.focus('button[data-action="remove:ecs"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-action')), 'add-lambda');
  assert.deepEqual(problems, []);
  await context.close();
});
