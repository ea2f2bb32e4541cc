// End-to-end: the widget embedded in another page (a different sub-path), sized by its
// height messages, with README's copy-paste snippet exactly as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteUnderTest, loaded, canvasFingerprint, screenshot, root } from './harness.mjs';

const prefix = '/kinesis/';
const postPath = '/blog/2026/streams/';

/** README's embed snippet, pointed at `siteUrl` (the dist/ root) and its origin. */
function snippet(siteUrl) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.split('<!-- embed-snippet')[1]?.split('```html\n')[1]?.split('```')[0];
  assert.ok(block, 'README has the embed snippet');
  return block
    .replaceAll('https://example.org/kinesis/', siteUrl)
    .replaceAll('https://example.org', new URL(siteUrl).origin);
}

// The post is built once the server's address is known (see `post()`).
const pages = {};
const site = siteUnderTest(prefix, pages);

function post() {
  const url = `${site.origin()}${prefix}`;
  pages[postPath] = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>A post about streams</title>
<script>
  // Every message the page receives, for the test to read.
  window.received = [];
  addEventListener("message", (e) => received.push({ data: e.data, fromFrame: e.source === document.querySelector("iframe")?.contentWindow }));
</script></head>
<body style="max-width: 760px; margin: 1rem auto; font-family: sans-serif">
<h1>Why our consumer fell a day behind</h1><p>Before the widget.</p>
${snippet(url)}
<p id="after">After the widget.</p></body></html>`;
  return `${site.origin()}${postPath}`;
}

async function widgetFrame(page) {
  const handle = await page.waitForSelector('iframe.kinesis-playground');
  const frame = await handle.contentFrame();
  await loaded(frame);
  return { handle, frame };
}

const heights = (page) => page.evaluate(() => received
  .filter((m) => m.fromFrame && m.data?.type === 'kinesis-playground:height'));

test('the widget in an iframe on another path reports its height and runs', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const { page, context, problems } = await site.openUrl(post(), viewport);
    const { frame } = await widgetFrame(page);
    await page.waitForFunction(() => received.some((m) => m.data?.type === 'kinesis-playground:height'));
    const messages = await heights(page);
    // The documented shape: exactly these two fields, an integer height.
    assert.deepEqual(Object.keys(messages[0].data).sort(), ['height', 'type']);
    assert.ok(Number.isInteger(messages[0].data.height) && messages[0].data.height > 300);
    // The chosen charts and controls, the preset's question, one diagnosis line.
    assert.deepEqual(await frame.$$eval('figure.chart', (f) => f.map((x) => x.id)), ['chart-age', 'chart-loss']);
    assert.deepEqual(await frame.$$eval('input[type=range]', (i) => i.map((x) => x.id)),
      ['kp-stream-retention_hours', 'kp-consumers-lambda-ms_per_record']);
    assert.match(await frame.textContent('.lesson .question'), /one day of retention/);
    assert.equal(await frame.$$eval('.diagnosis li', (l) => l.length), 1);
    // Autoplay at 86,400×: a simulated day goes by within seconds, with no requests.
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await frame.waitForFunction(() => document.querySelector('.clock').textContent.startsWith('day 2'), null, { timeout: 20000 });
    assert.equal(await frame.textContent('button[data-action=play]'), 'Pause');
    assert.deepEqual(requests, []);
    const age = await canvasFingerprint(frame, '#chart-age canvas');
    assert.ok(age.drawn > 1000, `age chart drawn: ${age.drawn}`);
    // Its way out: the same settings on the full page, without the widget's options.
    const href = await frame.getAttribute('a.open-full', 'href');
    assert.match(href, /^index\.html#preset=scenario-1&/);
    assert.doesNotMatch(href, /charts=|controls=|autoplay/);
    assert.deepEqual(problems, []);
    await screenshot(page, `embed-${viewport.width}x${viewport.height}.png`);
    await context.close();
  }
});

test('with reduced motion the widget waits for Play, is sized by its height, and ignores the parent', async () => {
  const { page, context, problems } = await site.openUrl(post(), undefined, { reducedMotion: 'reduce' });
  const { handle, frame } = await widgetFrame(page);
  assert.match(await frame.textContent('.banner .message'), /reduced motion: press Play/);
  // Paused, the content holds still: the snippet sized the frame to the last reported
  // height, which is the content's, so nothing scrolls inside the frame.
  await page.waitForFunction(() => {
    const heights = received.filter((m) => m.data?.type === 'kinesis-playground:height');
    return heights.length > 0 && document.querySelector('iframe').style.height === `${heights.at(-1).data.height}px`;
  });
  const last = (await heights(page)).at(-1).data.height;
  const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const box = await handle.boundingBox();
  assert.equal(last, content);
  assert.ok(Math.abs(box.height - last) <= 1, `frame ${box.height} px, reported ${last} px`);
  assert.ok(await frame.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1));
  // Commands posted by the embedding page (of another origin or not) are ignored.
  await page.evaluate(() => {
    const w = document.querySelector('iframe').contentWindow;
    for (const type of ['kinesis-playground:play', 'play', 'step']) w.postMessage({ type }, '*');
    w.postMessage('play', '*');
  });
  await page.waitForTimeout(1500);
  assert.equal(await frame.textContent('.clock'), 'day 1 · 00:00:00');
  assert.equal(await frame.textContent('button[data-action=play]'), 'Play');
  await frame.click('button[data-action=play]');
  await frame.waitForFunction(() => document.querySelector('.clock').textContent !== 'day 1 · 00:00:00');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad widget option is named on the widget and the default widget runs', async () => {
  const { page, context, problems } = await site.open('embed.html#charts=age,pie&autoplay=1');
  await loaded(page);
  assert.match(await page.textContent('.banner .message'),
    /The link's settings were not used: charts: "pie" is not a chart; use incoming, throttled, age/);
  assert.deepEqual(await page.$$eval('figure.chart', (f) => f.map((x) => x.id)), ['chart-incoming', 'chart-age']);
  assert.deepEqual(await page.$$eval('input[type=range]', (i) => i.map((x) => x.id)), ['kp-stream-shards']);
  assert.equal(await page.textContent('button[data-action=play]'), 'Play');
  assert.deepEqual(problems, []);
  await context.close();
});
