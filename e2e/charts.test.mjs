// End-to-end: what the charts show — marks of changes, limits as they were at each
// moment, every chart of a round ending at one moment, and a live dark switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, drawn, screenshot } from './harness.mjs';

const site = siteUnderTest('/kp/');

/** The text alternative of chart `id` (the element its canvas's aria-describedby names). */
function chartText(page, id) {
  return page.$eval(`#chart-${id} canvas`, (c) => document.getElementById(c.getAttribute('aria-describedby')).textContent);
}

/** Rows (y, device pixels) where chart `id` has pixels of colour `rgb` in the columns around `xFrac` of its width. */
function rowsOfColour(page, id, rgb, xFrac) {
  return page.$eval(`#chart-${id} canvas`, (canvas, [rgb, xFrac]) => {
    const ctx = canvas.getContext('2d');
    const x0 = Math.round(canvas.width * xFrac) - 8;
    const { data, width, height } = ctx.getImageData(x0, 0, 16, canvas.height);
    const rows = new Set();
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - rgb[0]) < 8 && Math.abs(data[i + 1] - rgb[1]) < 8 && Math.abs(data[i + 2] - rgb[2]) < 8) rows.add(y);
      }
    }
    return [...rows];
  }, [rgb, xFrac]);
}

/** Plays at `speed` until the clock passes `clock` (e.g. 'day 1 · 00:20:00'), then pauses and waits for a round of charts at that moment. */
async function playUntil(page, speed, clock) {
  await page.selectOption('#kp-speed', String(speed));
  await page.click('button[data-action=play]');
  await page.waitForFunction((c) => document.querySelector('.clock').textContent >= c, clock, { timeout: 30000 });
  await page.click('button[data-action=play]');
  // Paused: the next round ends every chart, and its text, at the clock's moment.
  await drawn(page);
}

test('a slider edit and Fix are marked on every chart and named in its text', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1');
  await loaded(page);
  await playUntil(page, 3600, 'day 1 · 00:10:00');
  await page.focus('#kp-stream-shards');
  await page.keyboard.press('ArrowRight');
  await page.click('button[data-action=step]');
  for (const id of ['incoming', 'age', 'reads', 'processed']) {
    assert.match(await chartText(page, id), /Latest changes: (ALARM [^,]+, )*shards → 3(, resharding → 3 shards)?\.$/, id);
  }
  await page.click('button[data-action=fix]');
  assert.match(await chartText(page, 'lambda'), /Latest changes: (shards → 3, )?(resharding → 3 shards, )?(3 shards open, )?Fix\.$/);
  await playUntil(page, 3600, 'day 1 · 00:20:00');
  assert.match(await chartText(page, 'age'), /Fix/);
  await screenshot(page, 'charts-marks-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the shared read limit steps up where the stream was resharded', async () => {
  const { page, context, problems } = await site.open();
  await loaded(page);
  await playUntil(page, 3600, 'day 1 · 00:20:00');
  await page.focus('#kp-stream-shards');
  for (let i = 0; i < 2; i += 1) await page.keyboard.press('ArrowRight');
  await playUntil(page, 3600, 'day 1 · 00:45:00');
  assert.match(await chartText(page, 'reads'), /shared read limit \(2 MiB\/s × shards\) 8 MiB\/s/);
  // The dashed vermillion limit: lower on the left (4 MiB/s) than on the right (8 MiB/s)
  // (the lowest vermillion row: a legend swatch may sit above the line on the left).
  const vermillion = [213, 94, 0];
  const left = await rowsOfColour(page, 'reads', vermillion, 0.2);
  const right = await rowsOfColour(page, 'reads', vermillion, 0.93);
  assert.ok(left.length > 0 && right.length > 0, `left ${left} right ${right}`);
  assert.ok(Math.max(...right) < Math.max(...left) - 20, `left ${left} right ${right}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 86,400× every chart of a round ends at one moment, which the summary describes', async () => {
  const { page, context, problems } = await site.open();
  await loaded(page);
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => document.querySelector('.clock').textContent >= 'day 2');
  for (let sample = 0; sample < 20; sample += 1) {
    const seen = await page.evaluate(() => ({
      until: [...document.querySelectorAll('.charts canvas')].map((c) => c.dataset.until),
      summary: document.querySelector('.summary .numbers').textContent,
    }));
    // The charts drawn so far in this round end at its moment; the rest at the previous round's.
    const first = seen.until[0];
    const k = seen.until.findIndex((u) => u !== first);
    const rest = k < 0 ? [] : seen.until.slice(k);
    assert.ok(rest.every((u) => u === rest[0]), JSON.stringify(seen.until));
    assert.ok(seen.summary.startsWith(`At ${first},`), `${first} vs ${seen.summary}`);
    await page.waitForTimeout(37);
  }
  await page.click('button[data-action=play]');
  await page.waitForTimeout(500);
  const clock = await page.textContent('.clock');
  const until = await page.$$eval('.charts canvas', (cs) => cs.map((c) => c.dataset.until));
  assert.deepEqual(until, until.map(() => clock));
  assert.ok((await page.textContent('.summary .numbers')).startsWith(`At ${clock},`));
  assert.deepEqual(problems, []);
  await context.close();
});

test('charts follow a light/dark switch while the page is open', async () => {
  const { page, context, problems } = await site.open('', { width: 1280, height: 800 }, { colorScheme: 'light' });
  await loaded(page);
  const corner = () => page.$eval('#chart-age canvas', (c) => [...c.getContext('2d').getImageData(1, 1, 1, 1).data.slice(0, 3)]);
  assert.deepEqual(await corner(), [255, 255, 255]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => {
    const c = document.querySelector('#chart-age canvas');
    return c.getContext('2d').getImageData(1, 1, 1, 1).data[0] === 24;
  });
  assert.deepEqual(await corner(), [24, 26, 30]);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.querySelector('#chart-age canvas').getContext('2d').getImageData(1, 1, 1, 1).data[0] === 255);
  assert.deepEqual(problems, []);
  await context.close();
});
