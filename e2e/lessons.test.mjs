// End-to-end: every preset shows its question; checkpoints pause the run and point at a
// chart; "Fix it" changes the diagnosis and says what to watch; Replay runs the failure again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, screenshot } from './harness.mjs';

const site = siteUnderTest('/lessons/');

const PRESETS = {
  healthy: /sized for its load/,
  'scenario-1': /Are records being lost\?/,
  'scenario-2': /Are records being lost, and does it hurt the consumers\?/,
  'scenario-3': /Do they split the records between them/,
  'scenario-4': /What is happening to the consumers\?/,
  'hot-key': /yet writes are throttled\. Why\?/,
  'hidden-bursts': /How can a stream at 65 % of its limit be throttled\?/,
  'launch-day': /why does this one throttle and drop records for a quarter of an hour/,
  'steady-big': /what would a month of it cost in each capacity mode\?/,
  'small-records': /Which limit do they hit, and must it cost more shards\?/,
};

test('selecting each preset shows its question, what to watch and an explanation', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  for (const [name, question] of Object.entries(PRESETS)) {
    await page.selectOption('#kp-preset', name);
    assert.match(await page.textContent('.lesson .question'), question, name);
    assert.match(await page.textContent('.lesson .watch'), /^Watch: /);
    assert.ok((await page.textContent('.lesson details p')).length > 200, `${name} explanation`);
    assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:00', `${name} starts at time 0`);
    const fix = await page.$('button.fix');
    assert.equal(fix === null, name === 'healthy' || name === 'steady-big', `${name} fix button`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Fix it" on the hot-key preset turns the diagnosis from a hot shard to healthy', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'hot-key');
  await page.uncheck('.pause-checkpoints input');
  await page.selectOption('#kp-speed', '600');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => /hot partition key/.test(document.querySelector('.diagnosis').textContent), null, { timeout: 30000 });
  await screenshot(page, 'hot-key-before-fix.png');
  await page.click('button.fix');
  assert.equal(await page.textContent('label[for=kp-producers-0-distinct_keys] + output'), '10,000', 'the keys slider follows the fix');
  await page.waitForFunction(() => /^Healthy/.test(document.querySelector('.diagnosis').textContent), null, { timeout: 30000 });
  await screenshot(page, 'hot-key-after-fix.png');
  assert.deepEqual(problems, []);
  await context.close();
});

test("scenario 3's scripted reshard moves the shards slider, and an edit afterwards keeps 10 shards", async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'scenario-3');
  await page.uncheck('.pause-checkpoints input');
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  // The event at 1 h asks for 10 shards; the three UpdateShardCount steps end at 1:06.
  await page.waitForFunction(() => /, 10 shards take/.test(document.querySelector('.summary .numbers').textContent), null, { timeout: 30000 });
  await page.click('button[data-action=play]');
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '10');
  // The second event (at 2 h) raises the rate; at 86,400× the pause may come after it.
  assert.match(await page.textContent('label[for=kp-producers-0-records_per_sec] + output'), /^(250|1,250) records\/s$/);
  assert.match(await page.evaluate(() => location.hash), /stream\.shards=10/);
  // Moving a consumer's slider edits the settings the run has now.
  await page.focus('#kp-consumers-ecs-tasks');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('label[for=kp-consumers-ecs-tasks] + output'), '3');
  await page.click('button[data-action=play]');
  await page.waitForFunction(() => /^At day [2-9]/.test(document.querySelector('.summary .numbers').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('.summary .numbers'), /, 10 shards take/);
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '10');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Waits until the lesson box shows checkpoint `n` of `of`; returns its text. */
async function checkpoint(page, n, of) {
  const heading = new RegExp(`^Checkpoint ${n} of ${of} · day `);
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('.lesson .checkpoint-heading')?.textContent ?? ''),
    heading.source,
    { timeout: 60000 },
  );
  return page.textContent('.lesson .checkpoint');
}

test('at 86,400× scenario 1 pauses at each checkpoint, points at the Age chart, and Continue runs on', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'scenario-1');
  assert.equal(await page.isChecked('.pause-checkpoints input'), true, 'pausing is on by default');
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  assert.match(await checkpoint(page, 1, 4), /passed 10 minutes/);
  assert.equal(await page.textContent('button[data-action=play]'), 'Play', 'paused');
  await page.click('button[data-action=continue]');
  await checkpoint(page, 2, 4);
  await page.click('button[data-action=continue]');
  const text = await checkpoint(page, 3, 4);
  assert.match(text, /reached the retention line/);
  assert.match(text, /Look at: the Iterator age chart, line “lambda”\./);
  // Paused at day 2 (the age reaches 24 h after about 48 h): the clock stands still.
  const clock = await page.textContent('.clock');
  assert.match(clock, /^day (2|3) · /);
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('.clock'), clock);
  assert.deepEqual(
    await page.$$eval('figure.lesson-focus', (fs) => fs.map((f) => f.querySelector('canvas').getAttribute('aria-label'))),
    ['Iterator age'],
    'the Age chart, and only it, is highlighted',
  );
  assert.match(await page.textContent('[role=status].announce'), /Checkpoint 3 of 4 at day \d · [\d:]+: The iterator age has reached the retention line/);
  assert.equal(await page.getAttribute('.summary', 'aria-live'), null, 'the summary is not a live region');
  await screenshot(page, 'scenario-1-checkpoint.png');
  // Continue runs on; at 86,400× the fourth checkpoint follows within a few frames.
  await page.click('button[data-action=continue]');
  await checkpoint(page, 4, 4);
  assert.notEqual(await page.textContent('.clock'), clock, 'time ran on');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with "Pause at each checkpoint" off the run goes through the checkpoints', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'scenario-2');
  // The traffic shape menu names the preset's own bursts.
  assert.equal(await page.$eval('#kp-shape', (s) => s.selectedOptions[0].textContent), 'surge ×1.8 for 20 s every 15 min');
  await page.uncheck('.pause-checkpoints input');
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  // Both checkpoints come within the first minute; the clock runs on past them.
  await checkpoint(page, 2, 2);
  await page.waitForFunction(() => /^day [2-9]/.test(document.querySelector('.clock').textContent), null, { timeout: 30000 });
  assert.equal(await page.textContent('button[data-action=play]'), 'Pause');
  assert.equal(await page.$('button[data-action=continue]'), null);
  assert.equal(await page.$$eval('figure.lesson-focus canvas', (cs) => cs.map((c) => c.getAttribute('aria-label')).join()), 'Throttled and dropped writes');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Fix says what changed and what to watch; Replay the failure restarts without the fix', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'scenario-1');
  const slow = await page.textContent('label[for=kp-consumers-lambda-ms_per_record] + output');
  await page.selectOption('#kp-speed', '3600');
  await page.click('button[data-action=play]');
  await checkpoint(page, 1, 4);
  await page.click('button.fix');
  assert.match(await page.textContent('.lesson .after-fix .changed'), /^The function now takes 1 ms per record/);
  assert.match(await page.textContent('.lesson .after-fix .watch-next'), /^Watch now: The iterator age stops climbing/);
  assert.notEqual(await page.textContent('label[for=kp-consumers-lambda-ms_per_record] + output'), slow);
  assert.equal(await page.$('button.fix'), null, 'the fix is applied');
  assert.equal(await page.$('.lesson .checkpoint'), null);
  assert.match(await page.textContent('[role=status].announce'), /Fix applied\. The function now takes 1 ms per record/);
  await screenshot(page, 'scenario-1-after-fix.png');
  await page.click('button[data-action=replay]');
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:00');
  assert.equal(await page.textContent('label[for=kp-consumers-lambda-ms_per_record] + output'), slow, 'the failing setting is back');
  assert.equal(await page.$('.lesson .after-fix'), null);
  assert.ok(await page.$('button.fix'), 'the fix can be applied again');
  // The replay meets the same checkpoints again.
  await page.click('button[data-action=play]');
  assert.match(await checkpoint(page, 1, 4), /passed 10 minutes/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone a checkpoint brings its chart into the strip and its words below it', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1', { width: 390, height: 844 });
  await loaded(page);
  // Scrolled down to the consumers, far from the lesson box.
  await page.$eval('#kp-consumers-lambda-ms_per_record', (e) => e.scrollIntoView({ block: 'center' }));
  await page.selectOption('#kp-speed', '86400');
  await page.click('button[data-action=play]');
  await checkpoint(page, 1, 4);
  await page.waitForFunction(() => document.querySelector('.charts').dataset.showing === 'age');
  const seen = await page.evaluate(() => {
    const strip = document.querySelector('.charts').getBoundingClientRect();
    const age = document.querySelector('#chart-age').getBoundingClientRect();
    const words = document.querySelector('.lesson .checkpoint').getBoundingClientRect();
    return { stripBottom: strip.bottom, ageLeft: age.left, ageRight: age.right, wordsTop: words.top };
  });
  assert.ok(seen.ageLeft >= 0 && seen.ageRight <= 390, `the Age chart is at ${seen.ageLeft}–${seen.ageRight}`);
  assert.ok(seen.wordsTop >= seen.stripBottom, `the checkpoint's words start at ${seen.wordsTop}, under the strip (to ${seen.stripBottom})`);
  assert.ok(seen.wordsTop < 844 - 80, `the checkpoint's words start at ${seen.wordsTop}, off screen`);
  await screenshot(page, 'checkpoint-390x844.png');
  assert.deepEqual(problems, []);
  await context.close();
});
