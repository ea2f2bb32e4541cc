// End-to-end: the <kinesis-playground> custom element on another path's page, loaded
// with README's snippet: two elements, removing one, changing an attribute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteUnderTest, canvasFingerprint, root, countFrames } from './harness.mjs';

const prefix = '/kinesis/';
const postPath = '/notes/elements.html';

/** README's element snippet, pointed at `siteUrl` (the dist/ root). */
function snippet(siteUrl) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.split('<!-- element-snippet')[1]?.split('```html\n')[1]?.split('```')[0];
  assert.ok(block, 'README has the element snippet');
  return block.replaceAll('https://example.org/kinesis/', siteUrl);
}

const pages = {};
const site = siteUnderTest(prefix, pages);

function post() {
  pages[postPath] = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>Two playgrounds</title></head>
<body><main><h1>Two playgrounds</h1>
${snippet(`${site.origin()}${prefix}`)}
<kinesis-playground id="second" preset="healthy" charts="incoming" controls="" window="15m"></kinesis-playground>
</main></body></html>`;
  return `${site.origin()}${postPath}`;
}


test('two elements show two playgrounds; removing one stops it; an attribute change re-mounts', async () => {
  const url = post();
  const { page, context, problems } = await site.openUrl('about:blank');
  await page.addInitScript(countFrames);
  await page.goto(url);
  const first = 'kinesis-playground:not(#second)';
  await page.waitForSelector(`${first} #chart-loss canvas`);
  await page.waitForSelector('#second #chart-incoming canvas');
  // The asked charts and controls, each playground in its own element.
  const shown = (selector) => page.$eval(selector, (el) => ({
    charts: [...el.querySelectorAll('figure[id^=chart-]')].map((f) => f.id),
    sliders: [...el.querySelectorAll('input[type=range]')].map((i) => i.dataset.path ?? i.id),
    question: el.querySelector('.lesson .question')?.textContent ?? '',
  }));
  const a = await shown(first);
  assert.deepEqual(a.charts, ['chart-age', 'chart-loss']);
  assert.equal(a.sliders.length, 1);
  assert.match(a.sliders[0], /stream-shards/);
  assert.match(a.question, /\S/);
  const b = await shown('#second');
  assert.deepEqual(b.charts, ['chart-incoming']);
  assert.deepEqual(b.sliders, []);
  assert.ok((await canvasFingerprint(page, `${first} #chart-age canvas`)).drawn > 1000);
  // It runs (autoplay, speed from the attributes) while the other waits.
  await page.waitForFunction((sel) => document.querySelector(sel).playground.snapshot().duration_s > 3600, first);
  assert.equal(await page.$eval('#second', (el) => el.playground.snapshot().duration_s), 0);
  assert.equal(await page.evaluate(() => perFrame(20)), 2);
  // Removing one destroys its playground: one frame loop left, the element empty.
  const removed = await page.evaluate(async () => {
    const el = document.getElementById('second');
    const handle = el.playground;
    el.remove();
    let after;
    try { handle.snapshot(); after = 'alive'; } catch (e) { after = e.message; }
    return { after, children: el.childElementCount, property: el.playground, perFrame: await perFrame(20) };
  });
  assert.equal(removed.children, 0);
  assert.equal(removed.property, null);
  assert.equal(removed.perFrame, 1);
  assert.match(removed.after, /destroyed|null pointer/);
  // Changing an attribute mounts it afresh with the new options.
  const before = await page.$eval(first, (el) => el.playground.snapshot().duration_s);
  assert.ok(before > 0);
  await page.$eval(first, (el) => {
    el.setAttribute('charts', 'incoming,throttled');
    el.setAttribute('controls', 'shards,retention_hours');
  });
  await page.waitForSelector(`${first} #chart-throttled canvas`);
  const remounted = await shown(first);
  assert.deepEqual(remounted.charts, ['chart-incoming', 'chart-throttled']);
  assert.equal(remounted.sliders.length, 2);
  assert.equal(await page.evaluate(() => perFrame(20)), 1);
  // A bad attribute is said in the element, in words.
  await page.$eval(first, (el) => el.setAttribute('window', '1h'));
  await page.waitForSelector(`${first} [role=alert]`);
  assert.equal(
    await page.textContent(`${first} [role=alert]`),
    'Playground.mount: options.window: "1h" is not accepted: it takes one of "15m", "6h", "2d", "all"',
  );
  assert.equal(await page.evaluate(() => perFrame(20)), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
