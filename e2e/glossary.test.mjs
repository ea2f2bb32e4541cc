// End-to-end: terms in the page's words open their definition by keyboard and by touch,
// inside the viewport, and close again; the glossary lists every term.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, screenshot } from './harness.mjs';

const site = siteUnderTest('/glossary/');

/** The popover's text, whether it is visible, and its box and the viewport's size. */
function popover(page) {
  return page.evaluate(() => {
    const pop = document.querySelector('.term-pop');
    const box = pop.getBoundingClientRect();
    return {
      text: pop.textContent,
      visible: pop.checkVisibility() && box.width > 0 && box.height > 0,
      box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
      width: document.documentElement.clientWidth,
      height: document.documentElement.clientHeight,
    };
  });
}

function assertInViewport(pop) {
  assert.ok(pop.visible, `the definition shows: ${JSON.stringify(pop)}`);
  assert.ok(pop.box.left >= 0 && pop.box.top >= 0, JSON.stringify(pop));
  assert.ok(pop.box.right <= pop.width && pop.box.bottom <= pop.height, JSON.stringify(pop));
}

test('Tab to a term in a chart caption, Enter opens its definition, Escape closes it and keeps focus', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1');
  await loaded(page);
  let focused = null;
  for (let presses = 0; presses < 400 && !focused; presses += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.matches('figcaption button.term') ? el.textContent : null;
    });
  }
  assert.equal(focused, 'IncomingRecords', 'the first term of the first chart caption');
  const term = page.locator('figcaption button.term:focus');
  assert.equal(await term.getAttribute('aria-expanded'), 'false');
  assert.equal(await term.getAttribute('aria-controls'), 'kp-term-pop');

  await page.keyboard.press('Enter');
  const open = await popover(page);
  assert.match(open.text, /^IncomingRecords CloudWatch metric: records written to the stream successfully/);
  assertInViewport(open);
  assert.equal(await term.getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'glossary-open-desktop.png');

  await page.keyboard.press('Escape');
  assert.equal((await popover(page)).visible, false, 'Escape closes it');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'IncomingRecords', 'focus stays on the term');
  assert.equal(await page.$$eval('button.term[aria-expanded=true]', (b) => b.length), 0);

  // Space opens it too; moving focus on closes it.
  await page.keyboard.press('Space');
  assert.ok((await popover(page)).visible, 'Space opens it');
  await page.keyboard.press('Tab');
  assert.equal((await popover(page)).visible, false, 'moving focus away closes it');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a term in the diagnosis stays open and focused while the diagnosis is rewritten', async () => {
  // The healthy preset keeps its finding while it runs, so the same term comes back.
  const { page, context, problems } = await site.open('#preset=healthy');
  // Running (through the checkpoints), so the diagnosis is rewritten as the charts move on.
  await page.uncheck('.pause-checkpoints input');
  await page.click('button[data-action=play]');
  const term = page.locator('.diagnosis button.term').first();
  await term.focus();
  const name = await term.textContent();
  await page.keyboard.press('Enter');
  assert.ok((await popover(page)).visible);
  await page.evaluate(() => { document.activeElement.dataset.old = 'yes'; });
  // The diagnosis is rebuilt with each round of charts: the same term takes over, open and focused.
  await page.waitForFunction(() => document.querySelector('.diagnosis [data-old]') === null, null, { timeout: 10000 });
  assert.ok((await popover(page)).visible, 'still open after the rewrite');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.diagnosis') !== null), true);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), name);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.old), undefined, 'a new button');
  assert.equal(await page.$$eval('.diagnosis button.term[aria-expanded=true]', (b) => b.length), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone, tapping a term opens its definition inside the screen and tapping elsewhere closes it', async () => {
  const { page, context, problems } = await site.open(
    '#preset=scenario-1',
    { width: 390, height: 844 },
    { hasTouch: true, isMobile: true },
  );
  await loaded(page);
  // Every term is a touch target at least 24 px high.
  const heights = await page.$$eval('button.term', (terms) => terms.map((t) => t.getBoundingClientRect().height));
  assert.ok(heights.length > 20, `${heights.length} terms`);
  assert.ok(Math.min(...heights) >= 24, `smallest term ${Math.min(...heights)} px`);

  const term = page.locator('figcaption button.term', { hasText: 'write limit' }).first();
  await term.scrollIntoViewIfNeeded();
  await term.tap();
  const open = await popover(page);
  assert.match(open.text, /^Write limit What one shard accepts: 1,000 records\/s and 1 MiB\/s/);
  assertInViewport(open);
  assert.equal(await term.getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'glossary-open-phone.png');

  // Tapping the definition itself leaves it open; tapping the page elsewhere closes it.
  await page.tap('.term-pop');
  assert.ok((await popover(page)).visible, 'a tap on the definition keeps it');
  await page.tap('.chart canvas');
  assert.equal((await popover(page)).visible, false, 'a tap elsewhere closes it');
  assert.equal(await term.getAttribute('aria-expanded'), 'false');

  // Tapping the same term twice opens and closes it.
  await term.tap();
  assert.ok((await popover(page)).visible);
  await term.tap();
  assert.equal((await popover(page)).visible, false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the glossary section lists every term with its definition', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('.glossary');
  await page.click('.glossary summary');
  const terms = await page.$$eval('.glossary dt', (dts) => dts.map((d) => d.textContent));
  assert.ok(terms.length >= 35, `${terms.length} terms`);
  for (const name of ['Shard', 'Partition key', 'UpdateShardCount', 'Iterator age', 'Enhanced fan-out',
    'Parallelization factor', 'KCL lease', 'Event source mapping', 'GetRecords.IteratorAgeMilliseconds']) {
    assert.ok(terms.includes(name), name);
  }
  const shard = await page.$eval('.glossary dt:nth-of-type(1) + dd', (dd) => dd.textContent);
  assert.ok(shard.length > 40, shard);
  assert.deepEqual(problems, []);
  await context.close();
});
