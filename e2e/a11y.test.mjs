// Accessibility: axe-core over the three pages, in light and dark, at a desktop and a
// phone size. No serious or critical violation may remain; each one found is printed
// with the elements it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { siteUnderTest, loaded } from './harness.mjs';

const site = siteUnderTest('/course/kinesis/');
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the open page; returns its serious and critical violations, printed. */
async function seriousViolations(page, label) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // Every rule axe runs by default; none is turned off.
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    console.log(`${label}: ${v.impact} ${v.id} (${v.help})\n  ${v.nodes.join('\n  ')}`);
  }
  return bad.map((v) => `${v.id}: ${v.nodes.length} element(s)`);
}

// What says a page is ready: a selector, or none for a playground the page itself
// starts (see `loaded`).
const pages = [
  ['index.html with a preset', '#preset=scenario-1', null],
  ['index.html after a rejected link', '#stream.shards=0', null],
  ['the widget', 'embed.html#preset=scenario-1&charts=age,loss&controls=shards,ms_per_record', null],
  ['the example page', 'example.html', 'body[data-ready=true]'],
];

/** Waits until the page is ready (see `pages`). */
const ready = (page, selector) => (selector ? page.waitForSelector(selector) : loaded(page));

for (const [name, suffix, selector] of pages) {
  for (const colorScheme of ['light', 'dark']) {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const label = `${name}, ${colorScheme}, ${viewport.width}×${viewport.height}`;
      test(`axe finds nothing serious on ${label}`, async () => {
        const { page, context, problems } = await site.open(suffix, viewport, { colorScheme });
        await ready(page, selector);
        assert.deepEqual(await seriousViolations(page, label), []);
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }
}

test('the pages have the landmarks and headings axe asks for', async () => {
  for (const [suffix, selector, h1] of [
    ['#preset=scenario-1', null, 'Kinesis Playground'],
    ['embed.html', null, 'Kinesis Playground'],
    ['example.html', 'body[data-ready=true]', 'Driving the playground from a script'],
  ]) {
    const { page, context } = await site.open(suffix);
    await ready(page, selector);
    assert.equal(await page.textContent('h1'), h1, suffix);
    assert.equal(await page.$$eval('main', (m) => m.length), 1, suffix);
    await context.close();
  }
});

test('the focus ring has at least 3:1 contrast against the page in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await site.open('', undefined, { colorScheme });
    await loaded(page);
    await page.focus('#kp-stream-shards');
    const ratio = await page.evaluate(() => {
      const rgb = (text) => text.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = (c) => {
        const [r, g, b] = c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const el = document.activeElement;
      const ring = getComputedStyle(el);
      // The ring sits outside the control, on its section's panel.
      const panel = getComputedStyle(el.closest('.group')).backgroundColor;
      const [a, b] = [lum(rgb(ring.outlineColor)), lum(rgb(panel))];
      return { width: ring.outlineWidth, style: ring.outlineStyle, contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
    assert.equal(ratio.style, 'solid', colorScheme);
    assert.equal(ratio.width, '3px', colorScheme);
    assert.ok(ratio.contrast >= 3, `${colorScheme}: focus ring contrast ${ratio.contrast.toFixed(2)}:1`);
    await context.close();
  }
});
