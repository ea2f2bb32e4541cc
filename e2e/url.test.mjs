// End-to-end: the settings live in the link's hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteUnderTest, loaded, canvasFingerprint } from './harness.mjs';

const site = siteUnderTest('/share/');

test('a link with a preset and changes opens those settings', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-3&stream.shards=4&consumers.ecs.tasks=6&speed=600');
  await loaded(page);
  assert.equal(await page.inputValue('#kp-preset'), 'scenario-3');
  assert.equal(await page.inputValue('#kp-speed'), '600');
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '4');
  assert.equal(await page.textContent('label[for=kp-consumers-ecs-tasks] + output'), '6');
  assert.match(await page.textContent('.lesson .question'), /Do they split the records/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('moving a control rewrites the hash, and the copied link reproduces the same run', async () => {
  const clipboard = { permissions: ['clipboard-read', 'clipboard-write'] };
  const { page, context, problems } = await site.open('', undefined, clipboard);
  await loaded(page);
  await page.focus('#kp-stream-shards');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => location.hash), '#stream.shards=3&speed=3600');
  await page.click('button[data-action=copy-link]');
  await page.waitForFunction(() => /Link copied/.test(document.querySelector('.group .note[role=status]')?.textContent));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, await page.evaluate(() => location.href));
  assert.deepEqual(problems, []);
  await context.close();
  // Two fresh browser contexts on the link: same settings, same numbers, tick for tick.
  const runs = [];
  for (let i = 0; i < 2; i += 1) {
    const fresh = await site.openUrl(link);
    await loaded(fresh.page);
    assert.equal(await fresh.page.textContent('label[for=kp-stream-shards] + output'), '3');
    for (let step = 0; step < 30; step += 1) await fresh.page.click('button[data-action=step]');
    runs.push({
      chart: (await canvasFingerprint(fresh.page, '#chart-incoming canvas')).hash,
      numbers: await fresh.page.textContent('.summary .numbers'),
    });
    assert.deepEqual(fresh.problems, []);
    await fresh.context.close();
  }
  assert.deepEqual(runs[1], runs[0]);
  assert.match(runs[0].numbers, /At day 1 · 00:00:30, 3 shards take/);
});

/** Clicks `selector` and returns the download it starts: its file name and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

test('the series, the settings and each chart download; a settings file imports with checks', async () => {
  const { page, context, problems } = await site.open('#stream.shards=3');
  await loaded(page);
  for (let step = 0; step < 30; step += 1) await page.click('button[data-action=step]');

  const csv = await download(page, 'button[data-action=csv]');
  assert.equal(csv.name, 'kinesis-playground-series.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 3), ['time_s', 'sample_s', 'produced']);
  assert.ok(header.includes('IncomingRecords') && header.includes('lambda.oldest_unprocessed_age_ms'), lines[0]);
  assert.equal(lines.length, 1 + 30);
  assert.deepEqual(lines[30].split(',').slice(0, 2), ['30', '1']);
  const incoming = header.indexOf('IncomingRecords');
  assert.equal(lines[30].split(',')[incoming], '1000');

  const json = await download(page, 'button[data-action=config-json]');
  assert.equal(json.name, 'kinesis-playground-config.json');
  const config = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(config.stream.shards, 3);
  assert.equal(config.consumers[0].type, 'lambda');

  const png = await download(page, '#chart-age button.png');
  assert.equal(png.name, 'kinesis-playground-age.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.bytes.length > 2000);

  // Import: the file's settings run from time 0; a bad file changes nothing and says why.
  const file = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  config.stream.shards = 7;
  config.consumers.push({ type: 'kcl', name: 'ecs', tasks: 2 });
  await page.setInputFiles('#kp-import', file('mine.json', JSON.stringify(config)));
  await page.waitForFunction(() => /Loaded mine\.json/.test(document.querySelector('.banner .message').textContent));
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '7');
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:00');
  assert.deepEqual(await page.$$eval('.consumer legend', (l) => l.map((x) => x.textContent)), ['Lambda: lambda', 'ECS (KCL): ecs']);
  assert.match(await page.evaluate(() => location.hash), /stream\.shards=7/);
  const note = () => page.textContent('.banner .message');
  await page.setInputFiles('#kp-import', file('bad.json', '{"stream": {"shards": 0}}'));
  await page.waitForFunction(() => /bad\.json/.test(document.querySelector('.banner .message').textContent));
  assert.equal(await note(), 'bad.json was not loaded: stream.shards: 0 is not accepted: it takes a whole number from 1 to 10,000');
  await page.setInputFiles('#kp-import', file('typo.json', '{"stream": {"shardz": 2}}'));
  await page.waitForFunction(() => /typo\.json/.test(document.querySelector('.banner .message').textContent));
  assert.match(await note(), /^typo\.json was not loaded: stream\.shardz: there is no setting "shardz" here/);
  await page.setInputFiles('#kp-import', file('notes.txt', 'not json at all'));
  await page.waitForFunction(() => /notes\.txt/.test(document.querySelector('.banner .message').textContent));
  assert.match(await note(), /^notes\.txt was not loaded: /);
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '7');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a malformed hash shows a specific message and falls back to the defaults', async () => {
  const { page, context, problems } = await site.open('#stream.shards=0');
  await loaded(page);
  const status = await page.textContent('.banner .message');
  assert.match(status, /The link's settings were not used: stream\.shards: 0 is not accepted: it takes a whole number from 1 to 10,000/);
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '2');
  const chart = await canvasFingerprint(page, '#chart-incoming canvas');
  assert.ok(chart.drawn > 1000);
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing only the hash in an open tab loads its settings, and the page\'s own rewrites do not', async () => {
  const { page, context, problems } = await site.open('#preset=scenario-1&speed=600');
  await loaded(page);
  assert.equal(await page.inputValue('#kp-preset'), 'scenario-1');
  // Run a little, then edit the address's hash by hand (as a reader pasting a link would).
  for (let step = 0; step < 5; step += 1) await page.click('button[data-action=step]');
  await page.evaluate(() => { location.hash = '#preset=scenario-3&stream.shards=4&window=15m'; });
  await page.waitForFunction(() => document.querySelector('#kp-preset').value === 'scenario-3');
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '4');
  assert.equal(await page.inputValue('#kp-window'), '900');
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:00');
  assert.match(await page.textContent('.lesson .question'), /Do they split the records/);
  // The page rewrites the hash in its own form (the speed kept); that loads nothing again.
  assert.equal(await page.evaluate(() => location.hash), '#preset=scenario-3&stream.shards=4&speed=600&window=15m');
  await page.click('button[data-action=step]');
  await page.focus('#kp-stream-shards');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 200)));
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:01');
  assert.equal(await page.evaluate(() => location.hash), '#preset=scenario-3&stream.shards=5&speed=600&window=15m');
  // A bad hash typed in is reported and changes nothing.
  await page.evaluate(() => { location.hash = '#stream.shards=0'; });
  await page.waitForFunction(() => /not used/.test(document.querySelector('.banner .message').textContent));
  assert.match(await page.textContent('.banner .message'), /The link's settings were not used: stream\.shards: 0 is not accepted: it takes a whole number from 1 to 10,000/);
  assert.equal(await page.textContent('label[for=kp-stream-shards] + output'), '5');
  assert.equal(await page.textContent('.clock'), 'day 1 · 00:00:01');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link with an added consumer is short and opens it', async () => {
  const { page, context, problems } = await site.open('#consumers.ecs=kcl&consumers.ecs.tasks=4&speed=600');
  await loaded(page);
  assert.equal(await page.textContent('label[for=kp-consumers-ecs-tasks] + output'), '4');
  assert.equal(await page.evaluate(() => location.hash), '#consumers.ecs=kcl&consumers.ecs.tasks=4&speed=600');
  assert.deepEqual(problems, []);
  await context.close();
});
