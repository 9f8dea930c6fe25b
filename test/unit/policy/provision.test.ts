import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkInput } from '../../../src-main/core/profiles/batch';
import { createSiteProvisioner, readSiteBundle, type SiteImportInput } from '../../../src-main/core/policy/provision';
import { isRoot, tempDir, writeFile } from './helpers';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const CONF = `[Interface]\nPrivateKey = ${key(11)}\nAddress = 10.8.0.2/32\n\n[Peer]\nPublicKey = ${key(12)}\nEndpoint = 203.0.113.5:51820\nAllowedIPs = 10.8.0.0/24\n`;
const SITE = JSON.stringify({ name: 'London farm', dnsNames: ['render01.farm.internal'] });

describe.skipIf(!isRoot)('site bundles listed by policy (real files, root)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('packs a directory bundle (.conf + site.json) into one zip the profile store accepts', async () => {
    const bundle = path.join(dir, 'london-farm');
    fs.mkdirSync(bundle, { mode: 0o700 });
    writeFile(path.join(bundle, 'london.conf'), CONF, 0o600);
    writeFile(path.join(bundle, 'site.json'), SITE, 0o600);
    writeFile(path.join(bundle, 'notes.txt'), 'ignored', 0o600);
    const read = await readSiteBundle(bundle);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.fileName).toBe('london-farm.zip');
    // The real profile parser reads the packed bundle.
    const checked = checkInput({ fileName: read.fileName, bytes: read.bytes, origin: 'policy' });
    expect(checked.bundleErrors).toEqual([]);
    expect(checked.entries.map((e) => e.fileName)).toEqual(['london.conf']);
    expect(checked.site?.name).toBe('London farm');
  });

  it('reads a zip bundle as is, and refuses one others could write', async () => {
    const zip = writeFile(path.join(dir, 'paris.zip'), zipSync({ 'paris.conf': new TextEncoder().encode(CONF) }), 0o600);
    const read = await readSiteBundle(zip);
    expect(read).toMatchObject({ ok: true, fileName: 'paris.zip' });
    fs.chmodSync(zip, 0o666);
    const bad = await readSiteBundle(zip);
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.reason).toMatch(/writable by group or others/);
  });

  it('refuses key material readable by others (a bundle .zip or .conf must be 0600 root); site.json may be 0644', async () => {
    const zip = writeFile(path.join(dir, 'rome.zip'), zipSync({ 'rome.conf': new TextEncoder().encode(CONF) }), 0o644);
    const r = await readSiteBundle(zip);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/holds a private key but is readable by group or others .*chmod 0600/);
    const bundle = path.join(dir, 'oslo');
    fs.mkdirSync(bundle, { mode: 0o755 });
    writeFile(path.join(bundle, 'oslo.conf'), CONF, 0o640);
    writeFile(path.join(bundle, 'site.json'), SITE, 0o644);
    expect(await readSiteBundle(bundle)).toMatchObject({ ok: false });
    fs.chmodSync(path.join(bundle, 'oslo.conf'), 0o600);
    expect(await readSiteBundle(bundle)).toMatchObject({ ok: true });
  });

  it('refuses a missing path and a directory without a .conf', async () => {
    expect(await readSiteBundle(path.join(dir, 'nope.zip'))).toEqual({ ok: false, reason: `${path.join(dir, 'nope.zip')}: does not exist` });
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = await readSiteBundle(path.join(dir, 'empty'));
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/no \.conf file/);
  });

  it('the onSites hook imports as origin "policy" with allowScripts, once per unchanged bundle', async () => {
    const zip = writeFile(path.join(dir, 'paris.zip'), zipSync({ 'paris.conf': new TextEncoder().encode(CONF) }), 0o600);
    const calls: SiteImportInput[] = [];
    let allowScripts = false;
    const p = createSiteProvisioner({ import: async (input) => (calls.push(input), { stored: 1 }) }, { allowScripts: () => allowScripts });
    const first = await p.onSites([zip, path.join(dir, 'missing.zip')]);
    expect(first.map((r) => r.status)).toEqual(['imported', 'refused']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ fileName: 'paris.zip', origin: 'policy', allowScripts: false });
    expect((await p.onSites([zip])).map((r) => r.status)).toEqual(['unchanged']);
    allowScripts = true; // a policy change re-provisions
    expect((await p.onSites([zip])).map((r) => r.status)).toEqual(['imported']);
    expect(calls[1]?.allowScripts).toBe(true);
  });
});
