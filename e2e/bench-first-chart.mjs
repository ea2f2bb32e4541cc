// First-chart benchmark (not a test): loads the built page RUNS times (default 15),
// each in a fresh browser context so nothing is cached, and prints the median and p90
// of the moment its first chart is drawn: the page's `first-chart` performance mark,
// ms since navigation start. Beside it: the first animation frame after that mark
// (when the browser can put the chart on screen), the first frames that find the
// controls and every chart drawn, when the js and the wasm finished loading, and the
// files' sizes (gzip -9, as `make size` counts them). Run with `make bench-web` after
// `make dist`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, launchBrowser, openPage, dist } from './harness.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const FILES = ['kinesis-playground.js', 'kinesis-playground_bg.wasm'];

/**
 * An init script: the first animation frame that starts after the page's mark, the
 * first one that finds the controls (the clock) and the first one that finds the page
 * built (the clock there, every chart drawn).
 */
const watchFrames = () => {
  const look = () => {
    const now = performance.now();
    if (window.firstFrameAfter === undefined && performance.getEntriesByName('first-chart').length) {
      window.firstFrameAfter = now;
    }
    const clock = document.querySelector('.clock');
    if (window.controls === undefined && clock) window.controls = now;
    const charts = [...document.querySelectorAll('.charts canvas')];
    if (clock && charts.length && charts.every((c) => c.hasAttribute('data-until'))) {
      window.built = now;
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
};

/** One load of the page: its times in ms since navigation start. */
async function load(browser, url) {
  const { page, context, problems } = await openPage(browser, url, undefined, {}, (p) => p.addInitScript(watchFrames));
  try {
    await page.waitForFunction(() => window.built !== undefined, null, { timeout: 30000 });
    const times = await page.evaluate((files) => {
      const loaded = (name) => performance.getEntriesByType('resource').find((r) => r.name.endsWith(`/${name}`))?.responseEnd ?? NaN;
      return {
        js: loaded(files[0]),
        wasm: loaded(files[1]),
        chart: performance.getEntriesByName('first-chart')[0].startTime,
        frame: window.firstFrameAfter,
        controls: window.controls,
        built: window.built,
      };
    }, FILES);
    if (problems.length) console.log('problems:', problems);
    return times;
  } finally {
    await context.close();
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

const server = await serveDist('/');
const browser = await launchBrowser();
try {
  // One load first, not counted: Chromium's own start-up (disk, fonts) is not the page's.
  await load(browser, server.url);
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await load(browser, server.url));
  const line = (what, key) => {
    const values = runs.map((r) => r[key]);
    return `${what.padEnd(34)} median ${quantile(values, 0.5).toFixed(0).padStart(4)} ms  p90 ${quantile(values, 0.9).toFixed(0).padStart(4)} ms`;
  };
  console.log(`first chart, ${RUNS} loads in fresh contexts (ms since navigation start):`);
  console.log(line('  first-chart mark', 'chart'));
  console.log(line('  first animation frame after it', 'frame'));
  console.log(line('  controls there', 'controls'));
  console.log(line('  every chart drawn', 'built'));
  console.log(line('  js loaded', 'js'));
  console.log(line('  wasm loaded', 'wasm'));
  for (const name of FILES) {
    const body = await readFile(join(dist, name));
    const gzip = execFileSync('gzip', ['-9', '-c', join(dist, name)], { maxBuffer: 1 << 26 }).length;
    console.log(`${name.padEnd(34)} ${String(body.length).padStart(9)} bytes ${String(gzip).padStart(9)} gzip`);
  }
} finally {
  await browser.close();
  await server.close();
}
