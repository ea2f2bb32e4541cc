// End-to-end: example.html drives a playground through the JavaScript interface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, canvasFingerprint, countFrames } from './harness.mjs';

const site = siteUnderTest('/docs/kinesis/');

test('the example page mounts a playground, and its buttons call the interface', async () => {
  const { page, context, problems } = await site.open('example.html');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForSelector('#lab #chart-age canvas');
  assert.match(await page.textContent('#out'), /"clock": "day 1 · 00:00:00"/);
  await page.click('#run-day');
  await page.waitForFunction(() => document.getElementById('out').textContent.includes('day 2'));
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
    badStep: 'true Playground.step: n must be a whole number of ticks from 0, not -1',
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

test('destroy leaves nothing running; a second mount on one element replaces the first', async () => {
  const { page, context, problems } = await site.open('example.html');
  await page.addInitScript(countFrames);
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  const result = await page.evaluate(async () => {
    const { perFrame } = window;
    const out = { one: await perFrame(20) };
    const lab = document.getElementById('lab');
    // Mounting again on the same element destroys the first playground.
    const again = Playground.mount(lab, 'healthy', { compact: true, charts: ['incoming'] });
    out.replaced = (() => { try { window.lab.snapshot(); return 'alive'; } catch (e) { return e.message; } })();
    out.afterRemount = await perFrame(20);
    out.playgroundsInLab = lab.querySelectorAll('.controls').length;
    out.canvases = lab.querySelectorAll('canvas').length;
    out.shards = again.snapshot().open_shards;
    // Destroy: no more frames, no listeners (a click in the old place does nothing), element empty.
    const button = lab.querySelector('button[data-action=step]');
    again.destroy();
    again.destroy();
    out.afterDestroy = await perFrame(20);
    button.click();
    out.children = lab.childElementCount;
    out.compact = lab.classList.contains('compact');
    out.later = (() => { try { again.step(1); return 'accepted'; } catch (e) { return e.message; } })();
    return out;
  });
  assert.deepEqual(result, {
    one: 1,
    replaced: 'Playground.snapshot: this playground was destroyed',
    afterRemount: 1,
    playgroundsInLab: 1,
    canvases: 1,
    shards: 4,
    afterDestroy: 0,
    children: 0,
    compact: false,
    later: 'Playground.step: this playground was destroyed',
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('step refuses more than its bound; run goes in slices, keeps the page answering and stops with destroy', async () => {
  const { page, context, problems } = await site.open('example.html');
  await page.waitForSelector('body[data-ready=true]');
  const result = await page.evaluate(async () => {
    const caught = (fn) => { try { fn(); return 'accepted'; } catch (e) { return e.message; } };
    const out = {};
    // scenario-1 has 2 shards: 25,000 ticks is the bound, one more is refused.
    out.atBound = caught(() => lab.step(25000));
    out.aboveBound = caught(() => lab.step(25001));
    out.afterStep = lab.snapshot().duration_s;
    // A week through run(): timers still fire while it runs, and it takes many frames.
    let timers = 0;
    const timer = setInterval(() => { timers += 1; }, 0);
    const started = performance.now();
    const done = lab.run(7 * 86400).then(() => 'resolved');
    out.returnsPromise = done instanceof Promise;
    out.runResult = await done;
    clearInterval(timer);
    out.timersDuringRun = timers > 5;
    out.tookMs = performance.now() - started;
    out.afterRun = lab.snapshot().duration_s;
    out.clock = document.querySelector('#lab .clock').textContent;
    out.badRun = caught(() => lab.run(-5));
    // Destroying during a run rejects its Promise.
    const box = document.createElement('div');
    document.body.append(box);
    const other = Playground.mount(box, 'scenario-1', { compact: true });
    const cut = other.run(30 * 86400).then(() => 'resolved', (e) => e.message);
    await new Promise((ok) => setTimeout(ok, 50));
    other.destroy();
    out.cut = await cut;
    return out;
  });
  assert.ok(result.tookMs > 50, `a week ran in ${result.tookMs} ms`);
  delete result.tookMs;
  assert.deepEqual(result, {
    atBound: 'accepted',
    aboveBound: 'Playground.step: 25,001 ticks at once would keep the page from answering; on 2 shards at most 25,000 run in one step. run(n) runs any number in slices and returns a Promise',
    afterStep: 25000,
    returnsPromise: true,
    runResult: 'resolved',
    timersDuringRun: true,
    afterRun: 25000 + 7 * 86400,
    clock: 'day 8 · 06:56:40',
    badRun: 'Playground.run: n must be a whole number of ticks from 0 to 315,360,000, not -5',
    cut: 'Playground.run: this playground was destroyed before the run ended',
  });
  assert.deepEqual(problems, []);
  await context.close();
});
