// End-to-end: example.html drives a playground through the JavaScript interface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, canvasFingerprint } from './harness.mjs';

const site = siteUnderTest('/docs/kinesis/');

test('the example page mounts a playground, and its buttons call the interface', async () => {
  const { page, context, problems } = await site.open('example.html');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForSelector('#lab #chart-age canvas');
  assert.match(await page.textContent('#out'), /"clock": "day 1 · 00:00:00"/);
  await page.click('#run-day');
  const day = JSON.parse(await page.textContent('#out'));
  assert.equal(day.clock, 'day 2 · 00:00:00');
  assert.ok(day.consumers[0].processed > 0);
  assert.ok((await canvasFingerprint(page, '#lab #chart-age canvas')).drawn > 1000);
  await page.click('#fix');
  assert.equal(JSON.parse(await page.textContent('#out'))[0].ms_per_record, 1);
  assert.equal(await page.textContent('label[for=kp-consumers-lambda-ms_per_record] + output'), '1 ms');
  await page.click('#bad');
  assert.equal(await page.textContent('#out'), 'Error: Playground.set: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000');
  assert.deepEqual(problems, []);
  await context.close();
});

test('called from a script, bad arguments throw Errors and destroy empties the element', async () => {
  const { page, context, problems } = await site.open('example.html');
  await page.waitForSelector('body[data-ready=true]');
  const result = await page.evaluate(() => {
    const caught = (fn) => {
      try {
        fn();
        return 'accepted';
      } catch (e) {
        return `${e instanceof Error} ${e.message}`;
      }
    };
    const out = {
      noElement: caught(() => Playground.mount(null)),
      badConfig: caught(() => Playground.mount(document.createElement('div'), { stream: { shards: 0 } })),
      badStep: caught(() => lab.step(-1)),
      badPath: caught(() => lab.set(42, 1)),
    };
    // A second playground on the same page, mounted from a settings object.
    const box = document.createElement('div');
    document.body.append(box);
    const second = Playground.mount(box, { stream: { shards: 4 } }, { compact: true, charts: ['incoming'] });
    second.step(60);
    out.secondShards = second.snapshot().open_shards;
    out.secondTime = second.snapshot().duration_s;
    out.firstTime = lab.snapshot().duration_s;
    lab.destroy();
    out.afterDestroy = caught(() => lab.snapshot());
    out.labChildren = document.getElementById('lab').childElementCount;
    return out;
  });
  assert.deepEqual(result, {
    noElement: 'true Playground.mount: the first argument must be a DOM element',
    badConfig: 'true Playground.mount: config: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000',
    badStep: 'true Playground.step: n must be a whole number of ticks from 0 to 1000000, not -1',
    badPath: 'true Playground.set: the path must be a string like "stream.shards"',
    secondShards: 4,
    secondTime: 60,
    firstTime: 0,
    afterDestroy: 'true Playground.snapshot: this playground was destroyed',
    labChildren: 0,
  });
  assert.deepEqual(problems, []);
  await context.close();
});
