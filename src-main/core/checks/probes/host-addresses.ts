/**
 * Stream-host names, resolved once per diagnosis and remembered between diagnoses (issue 12). Environment: plain Node.
 *
 *  - `resolve(host)`: the system resolver (net-client `lookupHost`, getaddrinfo as Moonlight uses) asked once per run
 *    for each name; the TLS and port checks share the answer instead of one getaddrinfo per connection (libuv runs 4
 *    at a time: a fifth waited a whole round trip through the tunnel's DNS).
 *  - `hint(host)`: the address the last run resolved, from the cache file. A hint is never an answer: the TLS check may
 *    start connecting to it while the resolver confirms, and keeps that result only when the resolver returns the
 *    same address.
 * The cache file (`<data dir>/state/host-addresses.json`, 0600, atomic) holds at most 100 names → IPv4/IPv6 literals;
 * anything unreadable in it is ignored (a cache, rebuilt by the next run).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../../platform/atomic';
import { lookupHost, NetError } from '../../platform/net-client';

export const ADDRESS_CACHE_MAX_ENTRIES = 100;
const CACHE_MAX_BYTES = 64 * 1024;

export type Resolved = { ok: true; address: string } | { ok: false; error: NetError };

export interface AddressCache {
  get(host: string): string | null;
  /** Remember these answers (written only when something changed). */
  save(answers: ReadonlyMap<string, string>): void;
}

export interface HostAddresses {
  resolve(host: string, timeoutMs: number, signal?: AbortSignal): Promise<Resolved>;
  hint(host: string): string | null;
  /** Store this run's answers in the cache. */
  flush(): void;
}

export function createHostAddresses(cache?: AddressCache): HostAddresses {
  const lookups = new Map<string, Promise<Resolved>>();
  const answers = new Map<string, string>();
  return {
    resolve(host, timeoutMs, signal) {
      if (net.isIP(host)) return Promise.resolve({ ok: true, address: host });
      let p = lookups.get(host);
      if (!p) {
        p = lookupHost(host, { timeoutMs, signal }).then(
          (address): Resolved => {
            answers.set(host, address);
            return { ok: true, address };
          },
          (err: unknown): Resolved => ({ ok: false, error: err instanceof NetError ? err : new NetError('network', `${host}: ${(err as Error).message}`) }),
        );
        lookups.set(host, p);
      }
      return p;
    },
    hint: (host) => (net.isIP(host) ? null : (cache?.get(host) ?? null)),
    flush: () => {
      if (answers.size > 0) cache?.save(answers);
    },
  };
}

/** The cache in one file; `get` reads it once. Errors reading or writing it are swallowed (it is only a hint). */
export function createAddressCacheFile(file: string): AddressCache {
  let entries: Map<string, string> | null = null;
  const load = (): Map<string, string> => {
    if (entries) return entries;
    entries = new Map();
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > CACHE_MAX_BYTES) return entries;
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      const hosts = doc && typeof doc === 'object' ? (doc as { hosts?: unknown }).hosts : null;
      if (hosts && typeof hosts === 'object') {
        for (const [k, v] of Object.entries(hosts).slice(0, ADDRESS_CACHE_MAX_ENTRIES)) if (typeof v === 'string' && net.isIP(v) && k.length <= 253) entries.set(k, v);
      }
    } catch {
      // missing or unreadable: no hints
    }
    return entries;
  };
  return {
    get: (host) => load().get(host) ?? null,
    save(answers) {
      const cur = load();
      if ([...answers].every(([k, v]) => cur.get(k) === v)) return;
      for (const [k, v] of answers) {
        cur.delete(k);
        cur.set(k, v);
      }
      while (cur.size > ADDRESS_CACHE_MAX_ENTRIES) cur.delete(cur.keys().next().value!);
      try {
        ensurePrivateDir(path.dirname(file));
        writeFileAtomic(file, JSON.stringify({ hosts: Object.fromEntries(cur) }, null, 2) + '\n');
      } catch {
        // not writable (read-only data dir): the next run resolves first, as before
      }
    },
  };
}
