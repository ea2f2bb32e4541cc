// End-to-end: the built site, served from a sub-path, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, canvasFingerprint, screenshot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist('/course/kinesis/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page loads from a sub-path with no console errors and draws the chart', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.waitForSelector('#playground canvas');
  await page.waitForFunction(() => document.querySelector('.summary')?.textContent.length > 0);
  const chart = await canvasFingerprint(page);
  assert.ok(chart.drawn > chart.total * 0.01, `only ${chart.drawn} of ${chart.total} pixels drawn`);
  assert.equal(await page.textContent('h1'), 'Kinesis Playground');
  const label = await page.textContent('label[for=kp-rate]');
  assert.match(label, /Producer rate/);
  await screenshot(page, 'page-1280x800.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test('moving the slider with the keyboard redraws the chart and updates the numbers', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.waitForSelector('#playground canvas');
  const before = await canvasFingerprint(page);
  assert.equal(await page.textContent('output'), '800 records/s');

  await page.focus('#kp-rate');
  for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('output'), '1,800 records/s');
  const after = await canvasFingerprint(page);
  assert.notEqual(after.hash, before.hash, 'the chart did not change');
  assert.match(await page.textContent('.summary'), /Producers offer 1,800 records\/s/);
  assert.match(await page.textContent('.summary'), /\(44\.\d %\) were throttled/);

  await screenshot(page, 'page-slider-moved.png');
  await page.keyboard.press('Home');
  assert.equal(await page.textContent('output'), '0 records/s');
  assert.notEqual((await canvasFingerprint(page)).hash, after.hash, 'Home did not redraw');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the layout stacks on a phone-sized screen', async () => {
  const { page, context, problems } = await openPage(browser, server.url, { width: 390, height: 844 });
  await page.waitForSelector('#playground canvas');
  const controls = await page.$eval('.controls', (e) => e.getBoundingClientRect().toJSON());
  const chart = await page.$eval('#playground canvas', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(chart.top >= controls.bottom, 'the chart sits under the controls');
  assert.ok(chart.width <= 390 && chart.width > 300, `chart width ${chart.width}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `page is ${overflow} px wide`);
  await screenshot(page, 'page-390x844.png');
  assert.deepEqual(problems, []);
  await context.close();
});
