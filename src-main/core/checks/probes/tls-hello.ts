/**
 * A hand-built TLS ClientHello (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2) and a reader of the server's plaintext records.
 * Environment: plain Node (crypto for randomness and the x25519 key share).
 *
 * Mode `tls12` offers only TLS 1.2, so the server's Certificate travels in clear and its arrival is exact proof that
 * full-size segments crossed; it comes before any CertificateRequest, so a server that then wants a client certificate
 * (Sunshine) still counts. Mode `tls13` (fallback for a 1.3-only server) offers 1.3 with an x25519 key share.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const TLS12_SUITES = [0xc02f, 0xc030, 0xc02b, 0xc02c, 0xcca8, 0xcca9, 0xc027, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const TLS13_SUITES = [0x1301, 0x1302, 0x1303];

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}
function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}
function vec16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}
function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}
function list16(items: number[]): Buffer {
  return Buffer.concat(items.map(u16));
}

function x25519Public(): Buffer {
  const { publicKey } = generateKeyPairSync('x25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

export type HelloMode = 'tls12' | 'tls13';

export function buildClientHello(mode: HelloMode, serverName: string | null): Buffer {
  const suites = mode === 'tls13' ? [...TLS13_SUITES, ...TLS12_SUITES] : TLS12_SUITES;
  const exts: Buffer[] = [];
  if (serverName && !/^[\d.]+$/.test(serverName) && !serverName.includes(':')) {
    const name = Buffer.from(serverName, 'ascii');
    exts.push(ext(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(name)]))));
  }
  exts.push(ext(0x000a, vec16(list16([0x001d, 0x0017, 0x0018])))); // supported_groups
  exts.push(ext(0x000b, Buffer.from([1, 0]))); // ec_point_formats: uncompressed
  exts.push(ext(0x000d, vec16(list16([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201])))); // signature_algorithms
  exts.push(ext(0xff01, Buffer.from([0]))); // renegotiation_info
  exts.push(ext(0x0017, Buffer.alloc(0))); // extended_master_secret
  if (mode === 'tls13') {
    exts.push(ext(0x002b, Buffer.concat([Buffer.from([4]), list16([0x0304, 0x0303])]))); // supported_versions
    exts.push(ext(0x002d, Buffer.from([1, 1]))); // psk_key_exchange_modes: psk_dhe_ke
    const share = Buffer.concat([u16(0x001d), vec16(x25519Public())]);
    exts.push(ext(0x0033, vec16(share))); // key_share
  }
  const body = Buffer.concat([
    u16(0x0303),
    randomBytes(32),
    Buffer.concat([Buffer.from([32]), randomBytes(32)]), // legacy session id (middlebox compatibility)
    vec16(list16(suites)),
    Buffer.from([1, 0]), // compression: null
    vec16(Buffer.concat(exts)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), vec16(handshake)]);
}

export interface ServerFlightState {
  bytes: number;
  records: number;
  /** Handshake message types seen in clear, in order (2 ServerHello, 11 Certificate, 13 CertificateRequest, 14 Done). */
  handshakeTypes: number[];
  version: 'tls1.2' | 'tls1.3' | null;
  certificateBytes: number | null;
  certificateCount: number | null;
  /** Bytes of encrypted records after a TLS 1.3 ServerHello. */
  encryptedBytes: number;
  alert: { level: number; description: number } | null;
}

/** Handshake message types remembered (a real first flight has 4–6; a flood of empty messages is not kept). */
export const SERVER_FLIGHT_MAX_HANDSHAKES = 64;

/**
 * Bytes received and not yet consumed, in one buffer that grows by doubling: appending a chunk costs its own length
 * (amortised), however small the chunks a server sends — never a copy of everything buffered so far.
 */
class ByteQueue {
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.length;
      const target = this.buf.length >= 2 * (live + chunk.length) ? this.buf : Buffer.alloc(Math.max(4096, 2 * (live + chunk.length)));
      this.buf.copy(target, 0, this.start, this.end);
      this.buf = target;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  byte(i: number): number {
    return this.buf[this.start + i]!;
  }

  /** A view of `n` bytes at `offset`, valid until the next push. */
  view(offset: number, n: number): Buffer {
    return this.buf.subarray(this.start + offset, this.start + offset + n);
  }

  drop(n: number): void {
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
  }
}

/** Incremental reader of the server's side: feed chunks, read the state. Linear in the bytes fed. */
export function createServerFlightReader(): { push(chunk: Buffer): ServerFlightState; state: ServerFlightState } {
  const state: ServerFlightState = {
    bytes: 0,
    records: 0,
    handshakeTypes: [],
    version: null,
    certificateBytes: null,
    certificateCount: null,
    encryptedBytes: 0,
    alert: null,
  };
  const pending = new ByteQueue();
  const hs = new ByteQueue();
  function parseHandshakes(): void {
    while (hs.length >= 4) {
      const len = (hs.byte(1) << 16) | (hs.byte(2) << 8) | hs.byte(3);
      if (hs.length < 4 + len) return;
      const type = hs.byte(0);
      const body = hs.view(4, len);
      if (state.handshakeTypes.length < SERVER_FLIGHT_MAX_HANDSHAKES) state.handshakeTypes.push(type);
      if (type === 2) state.version = serverHelloVersion(body);
      if (type === 11) {
        state.certificateBytes = len;
        state.certificateCount = countCertificates(body);
      }
      hs.drop(4 + len);
    }
  }
  function push(chunk: Buffer): ServerFlightState {
    state.bytes += chunk.length;
    pending.push(chunk);
    while (pending.length >= 5) {
      const type = pending.byte(0);
      const len = (pending.byte(3) << 8) | pending.byte(4);
      if (pending.length < 5 + len) break;
      const frag = pending.view(5, len);
      state.records++;
      if (type === 22 && state.version !== 'tls1.3') {
        hs.push(frag);
        parseHandshakes();
      } else if (type === 23) state.encryptedBytes += len;
      else if (type === 21 && frag.length >= 2) state.alert = { level: frag[0]!, description: frag[1]! };
      pending.drop(5 + len);
    }
    return state;
  }
  return { push, state };
}

function serverHelloVersion(body: Buffer): 'tls1.2' | 'tls1.3' {
  // version(2) random(32) session_id(1+n) suite(2) compression(1) extensions(2+…)
  let p = 2 + 32;
  if (p >= body.length) return 'tls1.2';
  p += 1 + body[p]!;
  p += 3;
  if (p + 2 > body.length) return 'tls1.2';
  const end = p + 2 + body.readUInt16BE(p);
  p += 2;
  while (p + 4 <= end && p + 4 <= body.length) {
    const type = body.readUInt16BE(p);
    const len = body.readUInt16BE(p + 2);
    if (type === 0x002b && len === 2 && body.readUInt16BE(p + 4) === 0x0304) return 'tls1.3';
    p += 4 + len;
  }
  return 'tls1.2';
}

function countCertificates(body: Buffer): number {
  // TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>
  let p = 3;
  let n = 0;
  while (p + 3 <= body.length) {
    const len = (body[p]! << 16) | (body[p + 1]! << 8) | body[p + 2]!;
    p += 3 + len;
    n++;
  }
  return n;
}
