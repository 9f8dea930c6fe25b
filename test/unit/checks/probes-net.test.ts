/**
 * DNS, TLS and TCP probes against real sockets on loopback (the fault lab covers the tunnel cases).
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertChain, type CertChain } from '../../../scripts/lab/faults/cert-chain';
import { buildQuery, parseResponse } from '../../../src-main/core/checks/probes/dns-wire';
import { queryDns } from '../../../src-main/core/checks/probes/dns-udp';
import { tcpConnect } from '../../../src-main/core/net/tcp-connect';
import { tlsProbe } from '../../../src-main/core/checks/probes/tls-probe';

function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  return new Promise((resolve) => {
    if (kind === 'tcp') {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    } else {
      const s = dgram.createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    }
  });
}

/** A tiny authoritative server: answers `farm.lab` with 10.0.0.7, everything else NXDOMAIN (RFC 1035 layout). */
function startDnsServer(respond = true): Promise<{ port: number; close(): void }> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.on('message', (msg, rinfo) => {
      if (!respond) return;
      const qEnd = msg.indexOf(0, 12) + 5;
      const question = msg.subarray(12, qEnd);
      const known = question.toString('latin1').includes('farm');
      const header = Buffer.from(msg.subarray(0, 12));
      header.writeUInt16BE(0x8580 | (known ? 0 : 3), 2);
      header.writeUInt16BE(known ? 1 : 0, 6);
      const answer = known ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7]) : Buffer.alloc(0);
      s.send(Buffer.concat([header, question, answer]), rinfo.port, rinfo.address);
    });
    s.bind(0, '127.0.0.1', () => resolve({ port: s.address().port, close: () => s.close() }));
  });
}

describe('DNS wire format', () => {
  it('builds a one-question recursive query', () => {
    const q = buildQuery(0x1234, 'farm.lab');
    expect(q.toString('hex')).toBe('123401000001000000000000' + '046661726d036c616200' + '00010001');
  });
  it('parses an answer with a compression pointer', () => {
    const q = buildQuery(7, 'farm.lab');
    const res = Buffer.concat([q.subarray(0, 2), Buffer.from([0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]), q.subarray(12), Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7])]);
    const r = parseResponse(res);
    expect(r).toMatchObject({ id: 7, isResponse: true, rcode: 0, question: { name: 'farm.lab', type: 1 } });
    expect(r.answers).toEqual([{ name: 'farm.lab', type: 1, ttl: 60, data: '10.0.0.7' }]);
  });
  it('refuses truncated input and compression loops', () => {
    expect(() => parseResponse(Buffer.alloc(5))).toThrow(/shorter than a DNS header/);
    const loop = Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(() => parseResponse(loop)).toThrow(/loop/);
  });
});

describe('DNS over UDP, pinned server, own deadline', () => {
  it('treats an answer and an NXDOMAIN both as "the resolver listens"', async () => {
    const srv = await startDnsServer();
    const a = await queryDns({ server: '127.0.0.1', port: srv.port, name: 'farm.lab', timeoutMs: 2000 });
    expect(a).toMatchObject({ kind: 'response', rcode: 'NOERROR', addresses: ['10.0.0.7'] });
    const nx = await queryDns({ server: '127.0.0.1', port: srv.port, name: 'nope.lab', timeoutMs: 2000 });
    expect(nx).toMatchObject({ kind: 'response', rcode: 'NXDOMAIN', addresses: [] });
    srv.close();
  });
  it('reports ICMP port-unreachable as its own outcome', async () => {
    const port = await freePort('udp');
    const r = await queryDns({ server: '127.0.0.1', port, name: 'farm.lab', timeoutMs: 2000 });
    expect(r.kind).toBe('port-unreachable');
  });
  it('times out on a silent server', async () => {
    const srv = await startDnsServer(false);
    const r = await queryDns({ server: '127.0.0.1', port: srv.port, name: 'farm.lab', timeoutMs: 300 });
    expect(r).toMatchObject({ kind: 'timeout' });
    srv.close();
  });
});

describe('TLS large-payload probe and TCP ports', () => {
  let chain: CertChain;
  let server: tls.Server;
  let port: number;
  beforeAll(async () => {
    chain = await makeCertChain();
    server = tls.createServer({ key: chain.key, cert: chain.chain, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  }, 120_000);
  afterAll(() => {
    server?.close();
    if (chain) rmSync(chain.dir, { recursive: true, force: true });
  });

  it('passes once the certificate chain arrived, even though the server wants a client certificate', async () => {
    const r = await tlsProbe({ host: '127.0.0.1', port, connectTimeoutMs: 2000, flightTimeoutMs: () => 2000 });
    expect(r.outcome).toBe('certificate');
    expect(r.flight.version).toBe('tls1.2');
    expect(r.flight.certificateCount).toBe(4);
    expect(r.flight.certificateBytes).toBeGreaterThan(chain.chainBytes);
  });
  it('falls back to TLS 1.3 and counts the encrypted first flight', async () => {
    const s13 = tls.createServer({ key: chain.key, cert: chain.chain, requestCert: true, minVersion: 'TLSv1.3' });
    s13.on('tlsClientError', () => {});
    await new Promise<void>((r) => s13.listen(0, '127.0.0.1', () => r()));
    const p = (s13.address() as net.AddressInfo).port;
    const r = await tlsProbe({ host: '127.0.0.1', port: p, connectTimeoutMs: 2000, flightTimeoutMs: () => 2000 });
    s13.close();
    expect(r.mode).toBe('tls13');
    expect(r.outcome).toBe('flight');
    expect(r.flight.encryptedBytes).toBeGreaterThan(3000);
  });
  it('reports a stall when the server never answers the hello', async () => {
    const mute = net.createServer(() => {});
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const p = (mute.address() as net.AddressInfo).port;
    const r = await tlsProbe({ host: '127.0.0.1', port: p, connectTimeoutMs: 2000, flightTimeoutMs: () => 300 });
    mute.close();
    expect(r.outcome).toBe('stalled');
    expect(r.connectMs).not.toBeNull();
  });
  it('reports refused and open ports', async () => {
    const closed = await freePort('tcp');
    expect((await tlsProbe({ host: '127.0.0.1', port: closed, connectTimeoutMs: 2000, flightTimeoutMs: () => 300 })).outcome).toBe('refused');
    expect((await tcpConnect('127.0.0.1', closed, 1000)).outcome).toBe('refused');
    expect((await tcpConnect('127.0.0.1', port, 1000)).outcome).toBe('open');
  });
});

describe('DNS over UDP without a route', () => {
  it('reports the connect error instead of crashing', async () => {
    // 192.0.2.0/24 (TEST-NET-1): unroutable here (ENETUNREACH from connect), or answered by some router upstream.
    const r = await queryDns({ server: '192.0.2.1', name: 'farm.lab', timeoutMs: 300 });
    expect(['error', 'timeout', 'port-unreachable']).toContain(r.kind);
  });
});
