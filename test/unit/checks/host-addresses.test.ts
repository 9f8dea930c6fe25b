/**
 * Stream-host addresses (probes/host-addresses.ts): one lookup per name per run, the cache file between runs, and the
 * TLS check's use of a hint — kept only when the system resolver confirms it (real TLS server on loopback).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertChain, type CertChain } from '../../../scripts/lab/faults/cert-chain';
import { probeConfirmed } from '../../../src-main/core/checks/list/tls';
import { ADDRESS_CACHE_MAX_ENTRIES, createAddressCacheFile, createHostAddresses, type AddressCache } from '../../../src-main/core/checks/probes/host-addresses';
import { tlsProbe } from '../../../src-main/core/checks/probes/tls-probe';
import type { CheckContext } from '../../../src-main/core/checks/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'longhaul-addr-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('host addresses', () => {
  it('asks the system resolver once per name per run; an IP literal is its own answer', async () => {
    const a = createHostAddresses();
    const p1 = a.resolve('localhost', 2000);
    expect(a.resolve('localhost', 2000)).toBe(p1);
    expect(await p1).toEqual({ ok: true, address: '127.0.0.1' });
    expect(await a.resolve('10.1.2.3', 2000)).toEqual({ ok: true, address: '10.1.2.3' });
    const bad = await a.resolve('no-such-host.invalid', 2000);
    expect(bad.ok).toBe(false);
  });

  it('the cache file: written 0600 with this run’s answers, read back as hints, rewritten only on change', async () => {
    const file = path.join(tmp, 'state', 'host-addresses.json');
    const run1 = createHostAddresses(createAddressCacheFile(file));
    expect(run1.hint('localhost')).toBeNull();
    await run1.resolve('localhost', 2000);
    run1.flush();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const ino = fs.statSync(file).ino;
    const run2 = createHostAddresses(createAddressCacheFile(file));
    expect(run2.hint('localhost')).toBe('127.0.0.1');
    expect(run2.hint('127.0.0.1')).toBeNull();
    await run2.resolve('localhost', 2000);
    run2.flush();
    expect(fs.statSync(file).ino).toBe(ino); // same answer: not rewritten
  });

  it('ignores a broken or hostile cache file and keeps at most 100 names', () => {
    const file = path.join(tmp, 'bad.json');
    fs.writeFileSync(file, '{"hosts": {"a": "not an address", "b": 7, "c": "10.0.0.1"');
    expect(createAddressCacheFile(file).get('c')).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ hosts: { a: 'not an address', b: 7, c: '10.0.0.1' } }));
    const c = createAddressCacheFile(file);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([null, null, '10.0.0.1']);
    const many = new Map(Array.from({ length: 150 }, (_, i) => [`h${i}.farm`, `10.0.${i >> 8}.${i & 255}`] as [string, string]));
    c.save(many);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { hosts: Record<string, string> };
    expect(Object.keys(doc.hosts)).toHaveLength(ADDRESS_CACHE_MAX_ENTRIES);
    expect(doc.hosts['h149.farm']).toBe('10.0.0.149');
  });
});

describe('TLS check on a named host with a hint', () => {
  let chain: CertChain;
  let server: tls.Server;
  let port: number;
  const accepted: string[] = [];
  beforeAll(async () => {
    chain = await makeCertChain();
    server = tls.createServer({ key: chain.key, cert: chain.chain, requestCert: true, minVersion: 'TLSv1.2' });
    server.on('tlsClientError', () => {});
    server.on('connection', (s: net.Socket) => accepted.push(String(s.localAddress)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  }, 120_000);
  afterAll(() => {
    server?.close();
    if (chain) fs.rmSync(chain.dir, { recursive: true, force: true });
  });

  const ctxWith = (hint: string | null): CheckContext => {
    const cache: AddressCache = { get: () => hint, save: () => {} };
    return { addresses: createHostAddresses(cache) } as unknown as CheckContext;
  };
  const probe = (host: string, p: number, address: string | undefined, signal: AbortSignal) => tlsProbe({ host, address, port: p, signal, connectTimeoutMs: 2000, flightTimeoutMs: () => 2000 });

  it('a stale hint (nothing there) is dropped: the resolver’s address is probed and passes', async () => {
    const r = await probeConfirmed(ctxWith('127.0.0.2'), 'localhost', port, 2000, new AbortController().signal, probe);
    expect(r.outcome).toBe('certificate');
    expect(r.host).toBe('localhost');
  });

  it('a confirmed hint: its probe is the result (one connection)', async () => {
    accepted.length = 0;
    const r = await probeConfirmed(ctxWith('127.0.0.1'), 'localhost', port, 2000, new AbortController().signal, probe);
    expect(r.outcome).toBe('certificate');
    expect(accepted).toHaveLength(1);
  });

  it('a name that does not resolve is probed by name: the outcome reads as without a hint', async () => {
    const withHint = await probeConfirmed(ctxWith('127.0.0.1'), 'no-such-host.invalid', port, 2000, new AbortController().signal, probe);
    const without = await probeConfirmed(ctxWith(null), 'no-such-host.invalid', port, 2000, new AbortController().signal, probe);
    expect(withHint.outcome).toBe(without.outcome);
    expect(withHint.outcome).not.toBe('certificate');
  });
});
