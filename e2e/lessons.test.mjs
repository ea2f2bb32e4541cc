// End-to-end: every preset shows its question; "Fix it" changes the diagnosis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, screenshot } from './harness.mjs';

const site = siteUnderTest('/lessons/');

const PRESETS = {
  healthy: /sized for its load/,
  'scenario-1': /Are records being lost\?/,
  'scenario-2': /Are records being lost, and does it hurt the consumers\?/,
  'scenario-3': /Do they split the records between them/,
  'scenario-4': /What is happening to the consumers\?/,
  'hot-key': /yet writes are throttled\. Why\?/,
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
    assert.equal(fix === null, name === 'healthy', `${name} fix button`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Fix it" on the hot-key preset turns the diagnosis from a hot shard to healthy', async () => {
  const { page, context, problems } = await site.open();
  await page.waitForSelector('#kp-preset');
  await page.selectOption('#kp-preset', 'hot-key');
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
