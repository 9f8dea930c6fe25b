/** `wg show … dump` parsing on the real recordings (test/fixtures/samples, SOURCES.md §2). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globalRedactor } from '../../../src-main/core/log/redact';
import { classifyWgShowError } from '../../../src-main/core/tunnel/backends/types';
import { parseWgDump, parseWgDumpAll, totals, WgDumpError } from '../../../src-main/core/tunnel/wg-dump';

const sample = (f: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/samples', f), 'utf8');

describe('wg show <iface> dump', () => {
  it('parses the client recording: interface line, one peer with keepalive', () => {
    const d = parseWgDump(sample('linux-wg-show-iface-dump-client.txt'), 'wg0');
    expect(d).toMatchObject({ name: 'wg0', publicKey: 'owkDAm1AjMJEBTt4mOwg+7f/KNuB30h9noLHgrOfIDA=', listenPort: 59070, fwmark: null });
    expect(d.peers).toEqual([
      {
        publicKey: 'fLRi96ayWMVD0pEsP0BY4g5yH3mQsOW27gnq7Gn4sC0=',
        hasPresharedKey: false,
        endpoint: '198.51.100.20:51820',
        allowedIps: ['203.0.113.0/24'],
        latestHandshake: 1795755311,
        rxBytes: 24820,
        txBytes: 24908,
        persistentKeepalive: 25,
      },
    ]);
    expect(totals(d)).toEqual({ rxBytes: 24820, txBytes: 24908, latestHandshake: 1795755311 });
  });

  it('never returns the private key and registers it for redaction', () => {
    const text = sample('linux-wg-show-iface-dump-client.txt');
    const priv = text.split('\t')[0]!;
    const d = parseWgDump(text, 'wg0');
    expect(JSON.stringify(d)).not.toContain(priv);
    expect(globalRedactor.redact(`x ${priv} y`)).not.toContain(priv);
  });

  it('parses the server recording: a never-connected peer has no endpoint, no handshake, zero bytes', () => {
    const d = parseWgDump(sample('linux-wg-show-iface-dump-server.txt'), 'wg0');
    expect(d.listenPort).toBe(51820);
    expect(d.peers).toHaveLength(2);
    expect(d.peers[1]).toMatchObject({ endpoint: null, latestHandshake: null, rxBytes: 0, txBytes: 0, persistentKeepalive: null, allowedIps: ['203.0.113.3/32'] });
  });

  it('parses `wg show all dump` (interface name first on every line)', () => {
    const all = parseWgDumpAll(sample('linux-wg-show-all-dump-server.txt'));
    expect(all).toHaveLength(1);
    expect(all[0]!.name).toBe('wg0');
    expect(all[0]!.peers.map((p) => p.endpoint)).toEqual(['192.0.2.10:59070', null]);
  });

  it('rejects output that is not a dump, naming the line', () => {
    expect(() => parseWgDump('', 'wg0')).toThrow(WgDumpError);
    expect(() => parseWgDump(sample('linux-wg-show-client.txt'), 'wg0')).toThrow(/line 1/);
  });

  it('classifies the recorded "no such interface" stderr as absent', () => {
    expect(classifyWgShowError(sample('linux-wg-show-iface-unavailable-no-kmod-stderr.txt'))).toMatchObject({ ok: false, reason: 'absent' });
    expect(classifyWgShowError('Unable to access interface: Operation not permitted')).toMatchObject({ ok: false, reason: 'permission-denied' });
  });
});
