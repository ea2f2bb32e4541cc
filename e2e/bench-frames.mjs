// Frame-time benchmark (not a test): the built page at 86,400× in headless Chromium, with
// its default config and with 1,000 shards; prints p50 and p95 of each frame's own cost
// (model ticks plus drawing) over 700 frames (or as many as come in a minute), and how
// far the simulated clock got. Run with `make bench-web` after `make dist`.
import { serveDist, launchBrowser, openPage, loaded } from './harness.mjs';

const FRAMES = 700;
const MAX_MS = 60_000;
const CASES = [
  ['default config', ''],
  // 250 records/s of 1 KiB on each of 1,000 shards, keys spread over all of them.
  [
    '1,000 shards',
    '#stream.shards=1000&producers.0.instances=1000&producers.0.distinct_keys=1000000',
  ],
];

const server = await serveDist('/');
const browser = await launchBrowser();
try {
  for (const [name, hash] of CASES) {
    const { page, problems } = await openPage(browser, server.url + hash);
    await loaded(page);
    await page.selectOption('#kp-speed', '86400');
    await page.click('button[data-action=play]');
    const started = Date.now();
    const samples = await page.evaluate(([frames, maxMs]) => new Promise((done) => {
      const root = document.getElementById('playground');
      const out = [];
      const until = performance.now() + maxMs;
      const sample = () => {
        const ms = Number(root.dataset.frameMs);
        if (Number.isFinite(ms)) out.push(ms);
        if (out.length >= frames || performance.now() > until) done(out);
        else requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    }), [FRAMES, MAX_MS]);
    const wall_s = (Date.now() - started) / 1000;
    const clock = await page.textContent('.clock');
    const note = await page.textContent('.note');
    samples.sort((a, b) => a - b);
    const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    console.log(`${name}: frames: ${samples.length}  p50: ${at(0.5).toFixed(2)} ms  p95: ${at(0.95).toFixed(2)} ms  max: ${samples[samples.length - 1].toFixed(2)} ms`);
    console.log(`  simulated clock after ${wall_s.toFixed(1)} s of frames: ${clock}${note ? `  (${note})` : ''}`);
    if (problems.length) console.log('problems:', problems);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
