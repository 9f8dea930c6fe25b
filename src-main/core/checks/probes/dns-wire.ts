/**
 * DNS messages by hand (RFC 1035 §4): a one-question query and a response parser (header, question, answers with name
 * compression). No external library. Environment: plain Node (Buffer).
 */
export const DNS_TYPE = { A: 1, CNAME: 5, AAAA: 28 } as const;
export const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'] as const;

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const parts: Buffer[] = [];
  if (trimmed.length > 0) {
    for (const label of trimmed.split('.')) {
      const b = Buffer.from(label, 'ascii');
      if (b.length === 0 || b.length > 63) throw new Error(`invalid DNS name "${name}": empty or over-long label`);
      parts.push(Buffer.from([b.length]), b);
    }
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new Error(`invalid DNS name "${name}": longer than 255 bytes`);
  return out;
}

/** A standard recursive query (RD set) for one name. */
export function buildQuery(id: number, name: string, type: number = DNS_TYPE.A): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2); // IN
  return Buffer.concat([header, encodeName(name), tail]);
}

export interface DnsRecord {
  name: string;
  type: number;
  ttl: number;
  /** Dotted address for A, text for AAAA, target name for CNAME, hex otherwise. */
  data: string;
}

export interface DnsResponse {
  id: number;
  isResponse: boolean;
  rcode: number;
  truncated: boolean;
  authoritative: boolean;
  question: { name: string; type: number } | null;
  answers: DnsRecord[];
}

export class DnsParseError extends Error {}

/** RFC 1035 §2.3.4: a name is at most 255 octets (length bytes included), however compression assembles it. */
export const DNS_NAME_MAX_OCTETS = 255;

function readName(buf: Buffer, start: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = start;
  let next = -1;
  let octets = 1; // the final zero-length label
  for (let hops = 0; hops <= DNS_NAME_MAX_OCTETS; hops++) {
    if (pos >= buf.length) throw new DnsParseError('name runs past the end of the message');
    const len = buf[pos]!;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsParseError('truncated compression pointer');
      if (next === -1) next = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1]!;
      continue;
    }
    if (len & 0xc0) throw new DnsParseError('unsupported label type');
    if (len === 0) {
      if (next === -1) next = pos + 1;
      return { name: labels.join('.'), next };
    }
    if (pos + 1 + len > buf.length) throw new DnsParseError('label runs past the end of the message');
    octets += 1 + len;
    if (octets > DNS_NAME_MAX_OCTETS) throw new DnsParseError(`name longer than ${DNS_NAME_MAX_OCTETS} octets`);
    labels.push(buf.toString('ascii', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new DnsParseError('compression loop');
}

export function parseResponse(buf: Buffer): DnsResponse {
  if (buf.length < 12) throw new DnsParseError(`message of ${buf.length} bytes is shorter than a DNS header`);
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let pos = 12;
  let question: DnsResponse['question'] = null;
  for (let i = 0; i < qd; i++) {
    const n = readName(buf, pos);
    if (n.next + 4 > buf.length) throw new DnsParseError('truncated question');
    if (i === 0) question = { name: n.name, type: buf.readUInt16BE(n.next) };
    pos = n.next + 4;
  }
  const answers: DnsRecord[] = [];
  for (let i = 0; i < an; i++) {
    const n = readName(buf, pos);
    if (n.next + 10 > buf.length) throw new DnsParseError('truncated answer');
    const type = buf.readUInt16BE(n.next);
    const ttl = buf.readUInt32BE(n.next + 4);
    const rdlen = buf.readUInt16BE(n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > buf.length) throw new DnsParseError('answer data runs past the end of the message');
    let data: string;
    if (type === DNS_TYPE.A && rdlen === 4) data = [...buf.subarray(rd, rd + 4)].join('.');
    else if (type === DNS_TYPE.AAAA && rdlen === 16) {
      const groups: string[] = [];
      for (let g = 0; g < 8; g++) groups.push(buf.readUInt16BE(rd + g * 2).toString(16));
      data = groups.join(':');
    } else if (type === DNS_TYPE.CNAME) data = readName(buf, rd).name;
    else data = buf.subarray(rd, rd + rdlen).toString('hex');
    answers.push({ name: n.name, type, ttl, data });
    pos = rd + rdlen;
  }
  return {
    id,
    isResponse: (flags & 0x8000) !== 0,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0x000f,
    question,
    answers,
  };
}
