/**
 * Differential check against the real tools (wireguard-tools v1.0.20210914 + wireguard-go): every VALID corpus case
 * (its decoded text, and Longhaul's canonical re-serialisation) goes through `wg-quick strip` + `wg setconf` on a
 * throwaway wireguard-go interface inside a namespace created here; the invalid cases whose reason is part of the
 * `wg` grammar (rule 1) must be rejected by the real `wg setconf` too. Needs root.
 * Endpoints in the corpus are numeric or `.invalid` (resolution of `.invalid` fails at once; retries are disabled).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { decodeProfileBytes, parseProfile, serializeProfile } from '../../src-main/core/profiles';
import { CORPUS_DIR, loadCorpus } from '../unit/profiles/corpus-data';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/profiles-wg.test.ts needs root (real namespaces and wireguard-go)');

const runner = createRunner();
const n = process.pid % 100000;
const ns = `lhp-${n}`;
const iface = `lhpw${n}`;
const env = { WG_ENDPOINT_RESOLUTION_RETRIES: '0' };
let tmp: string;
let wgGo: ChildProcess | null = null;

/** Codes whose cause is in the `wg` grammar itself: the real `wg setconf` must reject these files too. */
const WG_GRAMMAR_CODES = new Set([
  'key.invalid',
  'syntax.no-section',
  'syntax.unknown-key',
  'syntax.section',
  'syntax.empty-value',
  'syntax.no-equals',
  'allowedips.invalid',
  'keepalive.invalid',
  'peer.missing-public-key',
]);
/** Longhaul is stricter than wg here on purpose (wg accepts all-zero keys). */
const STRICTER = new Set(['privkey-zero', 'pubkey-zero']);
/** What `wg` prints when an endpoint name cannot be resolved (parse stage passed). */
const RESOLVE_FAILURE = /Name or service not known|Temporary failure in name resolution|No address associated with hostname/;

async function stripAndSet(name: string, text: string): Promise<{ ok: boolean; stderr: string }> {
  const file = path.join(tmp, `${name}.conf`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  const strip = await runner.run('wg-quick', ['strip', file], { okCodes: 'any', env });
  if (strip.code !== 0) return { ok: false, stderr: strip.stderr };
  const stripped = path.join(tmp, `${name}.stripped`);
  fs.writeFileSync(stripped, strip.stdout, { mode: 0o600 });
  const set = await runner.run('ip', ['netns', 'exec', ns, 'wg', 'setconf', iface, stripped], { okCodes: 'any', env, timeoutMs: 30_000 });
  return { ok: set.code === 0, stderr: set.stderr };
}

const cases = loadCorpus();

describe.skipIf(!isRoot)('profiles against real wg-quick + wg (wireguard-go)', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lhp-'));
    fs.chmodSync(tmp, 0o700);
    await runner.run('ip', ['netns', 'add', ns]);
    await runner.run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    wgGo = runner.start('ip', ['netns', 'exec', ns, 'wireguard-go', '-f', iface], { env: { WG_PROCESS_FOREGROUND: '1' } });
    const sock = `/var/run/wireguard/${iface}.sock`;
    for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
    if (!fs.existsSync(sock)) throw new Error(`wireguard-go did not create ${sock}`);
  });

  afterAll(async () => {
    await runner.run('ip', ['netns', 'exec', ns, 'ip', 'link', 'del', iface], { okCodes: 'any' }).catch(() => undefined);
    wgGo?.kill('SIGTERM');
    await runner.run('ip', ['netns', 'del', ns], { okCodes: 'any' }).catch(() => undefined);
    fs.rmSync(`/var/run/wireguard/${iface}.sock`, { force: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const valid = cases.filter((c) => c.verdict === 'valid');
  it.each(valid.map((c, i) => [c.file, c, i] as const))('valid %s is accepted by wg-quick strip + wg setconf', async (_f, c, i) => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(CORPUS_DIR, 'corpus', c.file)));
    const decoded = decodeProfileBytes(bytes);
    const r = parseProfile(bytes, { origin: c.origin ?? 'user', allowScripts: c.allowScripts });
    const texts = { original: decoded.text, canonical: serializeProfile(r.profile!) };
    const usesHostname = r.profile!.peers.some((p) => p.endpoint && !/^[0-9.]+$|:/.test(p.endpoint.host));
    for (const [kind, text] of Object.entries(texts)) {
      const out = await stripAndSet(`v${i}${kind[0]}`, text);
      if (usesHostname && !out.ok) expect(out.stderr, `${c.file} (${kind})`).toMatch(RESOLVE_FAILURE);
      else expect(out, `${c.file} (${kind})`).toMatchObject({ ok: true });
    }
  });

  const grammar = cases.filter((c) => c.verdict === 'invalid' && c.code && WG_GRAMMAR_CODES.has(c.code) && !STRICTER.has(c.file.slice(4, -5)));
  it('covers the grammar rules', () => expect(grammar.length).toBeGreaterThan(30));
  it.each(grammar.map((c, i) => [c.file, c, i] as const))('invalid %s is rejected by wg too', async (_f, c, i) => {
    const decoded = decodeProfileBytes(new Uint8Array(fs.readFileSync(path.join(CORPUS_DIR, 'corpus', c.file))));
    const out = await stripAndSet(`x${i}`, decoded.text);
    expect(out.ok, `${c.file}: real wg accepted what Longhaul rejects as ${c.code}`).toBe(false);
    expect(out.stderr).not.toMatch(RESOLVE_FAILURE);
  });
});
