/**
 * The Stream page end to end in the browser harness: probe a Sunshine stand-in (a stand-in for LizardByte Sunshine's
 * HTTP side, scripts/standins/sunshine-standin.mjs) → pair with the moonlight-qt stand-in (enforces Moonlight's
 * argument grammar, scripts/standins/moonlight-standin) → launch. Without a tunnel the pre-flight gate blocks; the
 * artist's knowing override launches and is recorded. Loopback only (127.0.0.61).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { ROOT, startHarnessProcess, type HarnessProcess } from './harness-process';

const HOST = '127.0.0.61';
const MOONLIGHT = path.join(ROOT, 'scripts', 'standins', 'moonlight-standin');

test.describe('stream page', () => {
  let sunshine: ChildProcess;
  let h: HarnessProcess;
  let tmp: string;

  test.beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-e2e-stream-'));
    sunshine = spawn(process.execPath, [path.join(ROOT, 'scripts', 'standins', 'sunshine-standin.mjs'), '--address', HOST, '--hostname', 'WS-12', '--also-listen', '47984,48010'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      sunshine.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
      sunshine.once('exit', (c) => reject(new Error(`sunshine stand-in exited ${c}`)));
    });
    h = await startHarnessProcess({
      env: {
        MOONLIGHT_STANDIN_STATE: path.join(tmp, 'moonlight-state.json'),
        MOONLIGHT_STANDIN_ARGV_FILE: path.join(tmp, 'argv.jsonl'),
        MOONLIGHT_STANDIN_STREAM_MS: '500',
        LONGHAUL_HARNESS_PICK_FILE: MOONLIGHT,
      },
    });
  });
  test.afterAll(async () => {
    await h?.close();
    sunshine?.kill('SIGTERM');
  });

  test('probe → pair → launch, with the gate in the way and a recorded override', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'uses a dedicated harness host with stand-ins');
    await page.goto(h.url);
    await page.locator('nav button[data-page="stream"]').click();
    // The page asks main to open its file dialog (the harness's stand-in dialog "picks" the stand-in Moonlight).
    await page.getByRole('button', { name: 'Choose Moonlight…' }).click();
    await expect(page.getByRole('region', { name: 'Moonlight' })).toContainText('Moonlight 6.1.0');

    const add = page.getByRole('form', { name: 'Add a host' });
    await add.getByLabel('Name').fill('WS-12');
    await add.getByLabel('Address').fill(HOST);
    await add.getByRole('button', { name: 'Add host' }).click();
    const card = page.getByRole('listitem', { name: 'WS-12' });
    await card.getByRole('button', { name: 'Check host' }).click();
    await expect(card.getByRole('status')).toContainText('Ready');
    await expect(card).toContainText('4:4:4');
    await checkState(page, 'stream-probed');

    await card.getByRole('button', { name: 'Pair…' }).click();
    const pin = (await page.getByTestId('pairing-pin').textContent())!.trim();
    expect(pin).toMatch(/^\d{4}$/);
    await checkState(page, 'stream-pairing-pin');
    // The artist types the PIN into Sunshine's web UI on the workstation: here, its API.
    const res = await fetch(`http://${HOST}:47989/api/pin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin, name: 'longhaul-e2e' }) });
    expect(res.ok).toBe(true);
    await page.getByRole('button', { name: 'I entered the PIN' }).click();
    await expect(page.getByRole('region', { name: 'Pairing' }).getByRole('status')).toContainText(`Paired with ${HOST}`);

    await card.getByRole('button', { name: /^Launch/ }).click();
    const gate = page.getByRole('region', { name: 'Pre-flight' });
    await expect(gate.getByRole('alert')).toContainText('Launch blocked');
    await checkState(page, 'stream-gate-blocked');
    await gate.getByRole('button', { name: /Launch anyway/ }).click();
    await expect(gate.getByRole('status').last()).toContainText('Moonlight started');
    await expect(gate).toContainText('recorded');
    await checkState(page, 'stream-launched');

    const calls = fs.readFileSync(path.join(tmp, 'argv.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv);
    const stream = calls.find((a) => a.includes('stream'))!;
    expect(stream).toEqual(expect.arrayContaining(['stream', HOST, 'Desktop']));
    expect(stream).toContain('--bitrate');
  });

  test('with managed policy requireGate, a blocked launch offers no override and says who decided', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'uses a dedicated harness host with stand-ins');
    test.skip(process.getuid?.() !== 0, 'the policy override file must be root-owned: run as root (CI does)');
    const policy = path.join(tmp, 'policy.json');
    fs.writeFileSync(policy, JSON.stringify({ managedByName: 'Northlight VFX IT', requireGate: true }), { mode: 0o644 });
    const managed = await startHarnessProcess({ env: { LONGHAUL_TEST_POLICY_PATH: policy, MOONLIGHT_STANDIN_STATE: path.join(tmp, 'moonlight-state-2.json'), LONGHAUL_HARNESS_PICK_FILE: MOONLIGHT } });
    try {
      await page.goto(managed.url);
      await page.locator('nav button[data-page="stream"]').click();
      await page.getByRole('button', { name: 'Choose Moonlight…' }).click();
      await expect(page.getByRole('region', { name: 'Moonlight' })).toContainText('Moonlight 6.1.0');
      const add = page.getByRole('form', { name: 'Add a host' });
      await add.getByLabel('Address').fill(HOST);
      await add.getByRole('button', { name: 'Add host' }).click();
      await page.getByRole('listitem', { name: HOST }).getByRole('button', { name: /^Launch/ }).click();
      const gate = page.getByRole('region', { name: 'Pre-flight' });
      await expect(gate.getByRole('alert')).toContainText('Launch blocked');
      await expect(gate).toContainText('Set by Northlight VFX IT');
      await expect(gate.getByRole('button', { name: /Launch anyway/ })).toHaveCount(0);
      await checkState(page, 'stream-gate-required-by-policy');
    } finally {
      await managed.close();
    }
  });
});
