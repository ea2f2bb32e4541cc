// Shared set-up for the end-to-end tests: a static server for dist/ and Debian's Chromium.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..');
export const dist = join(root, 'dist');
export const shots = join(root, 'target', 'e2e');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves dist/ on 127.0.0.1 under `prefix` (e.g. "/course/kinesis/"), as a static host
 * would from a sub-path, plus `pages`: other paths mapped to HTML text (e.g. a blog post
 * embedding the widget). Anything else is a 404.
 */
export async function serveDist(prefix = '/', pages = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (Object.hasOwn(pages, path)) {
      res.writeHead(200, { 'content-type': types['.html'] }).end(pages[path]);
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = normalize(path.slice(prefix.length));
    if (rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
    const file = join(dist, rel);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches Debian's Chromium headless (a fresh temporary profile each time) with no background network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Opens a page that records console errors, page errors and failed requests (of every
 * frame). `options` go to the new browser context (permissions, reducedMotion...);
 * `prepare(page)`, when given, runs before the page navigates (e.g. an init script).
 */
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }, options = {}, prepare = undefined) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  await prepare?.(page);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(url);
  return { page, context, problems };
}

/**
 * Waits until the playground a page (or frame) opened is built: it draws its first chart
 * at once, builds its controls on a later frame and then draws the other charts, one
 * a frame. Built means the clock is there and every chart has been drawn.
 */
export function loaded(page) {
  return page.waitForFunction(() => document.querySelector('.clock') !== null
    && [...document.querySelectorAll('.charts canvas')].every((c) => c.hasAttribute('data-until')));
}

/**
 * Waits until every chart has been drawn for the moment the clock shows, and its text
 * alternative describes that moment (the text is rewritten less often while playing).
 */
export function drawn(page) {
  return page.waitForFunction(() => {
    const clock = document.querySelector('.clock').textContent;
    return [...document.querySelectorAll('.charts canvas')]
      .every((c) => c.dataset.until === clock && c.dataset.described === clock);
  });
}

/** A fingerprint of the canvas matching `selector`: drawn-pixel count and a hash of all pixels. */
export function canvasFingerprint(page, selector = 'canvas') {
  return page.$eval(selector, (canvas) => {
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    let hash = 2166136261;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) drawn += 1;
      hash = Math.imul(hash ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16)), 16777619);
    }
    return { drawn, total: data.length / 4, hash: hash >>> 0 };
  });
}

/** Saves a full-page screenshot under target/e2e/. */
export async function screenshot(page, name) {
  await mkdir(shots, { recursive: true });
  const path = join(shots, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * For a test file: serves dist/ under `prefix` (and `pages`, see serveDist) and launches
 * Chromium before its tests, closes both after them. `site.open(suffix, viewport, options,
 * prepare)` opens the site's URL plus `suffix` (e.g. a hash; `prepare` as openPage's);
 * `site.openUrl(url, viewport, options)` opens any URL; `site.origin()` is the server's
 * origin.
 */
export function siteUnderTest(prefix, pages = {}) {
  let server;
  let browser;
  before(async () => {
    server = await serveDist(prefix, pages);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    open: (suffix = '', viewport, options, prepare) => openPage(browser, `${server.url}${suffix}`, viewport, options, prepare),
    openUrl: (url, viewport, options) => openPage(browser, url, viewport, options),
    origin: () => new URL(server.url).origin,
  };
}

/**
 * An init script: counts the page's requestAnimationFrame calls, and gives the page
 * `window.perFrame(frames)`: the calls playgrounds made per frame over `frames` frames
 * (the count's own frames use the original).
 */
export const countFrames = () => {
  window.rafRequests = 0;
  const original = window.requestAnimationFrame.bind(window);
  window.originalRaf = original;
  window.requestAnimationFrame = (cb) => {
    window.rafRequests += 1;
    return original(cb);
  };
  window.perFrame = (frames) => new Promise((ok) => {
    const start = window.rafRequests;
    let seen = 0;
    const tick = () => {
      seen += 1;
      if (seen < frames) window.originalRaf(tick);
      else ok(Math.round((window.rafRequests - start) / frames));
    };
    window.originalRaf(tick);
  });
};
