// Frame-time benchmark (not a test): the built page at 86,400× with its default config
// in headless Chromium; prints p50 and p95 of each frame's own cost (model ticks plus
// drawing) over 700 frames. Run with `make bench-web` after `make dist`.
import { serveDist, launchBrowser, openPage, loaded } from './harness.mjs';

const FRAMES = 700;
const server = await serveDist('/');
const browser = await launchBrowser();
try {
  const { page, problems } = await openPage(browser, server.url);
  await loaded(page);
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  const samples = await page.evaluate((frames) => new Promise((done) => {
    const root = document.getElementById('playground');
    const out = [];
    const sample = () => {
      const ms = Number(root.dataset.frameMs);
      if (Number.isFinite(ms)) out.push(ms);
      if (out.length >= frames) done(out); else requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  }), FRAMES);
  const clock = await page.textContent('.clock');
  const note = await page.textContent('.note');
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  console.log(`frames: ${samples.length}  p50: ${at(0.5).toFixed(2)} ms  p95: ${at(0.95).toFixed(2)} ms  max: ${samples[samples.length - 1].toFixed(2)} ms`);
  console.log(`simulated clock after the run: ${clock}${note ? `  (${note})` : ''}`);
  if (problems.length) console.log('problems:', problems);
} finally {
  await browser.close();
  await server.close();
}
