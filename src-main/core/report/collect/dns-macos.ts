/**
 * macOS `scutil --dns` parser. Environment: any. The format is not a stable interface (Apple documents none), so this
 * is tested on every recording in test/fixtures/samples/macos-scutil-dns-*.txt: old (`Not Reachable` on its own line)
 * and new (`reach : 0x… (…)`) forms, default and scoped sections, elided (`[...]`) and truncated output.
 */

export interface ScutilResolver {
  number: number;
  domain: string | null;
  searchDomains: string[];
  nameservers: string[];
  ifIndex: number | null;
  ifName: string | null;
  flags: string[];
  reach: string[];
  order: number | null;
  options: string | null;
}

export interface ScutilDns {
  resolvers: ScutilResolver[];
  scoped: ScutilResolver[];
}

export function parseScutilDns(text: string): ScutilDns {
  const out: ScutilDns = { resolvers: [], scoped: [] };
  let section: ScutilResolver[] = out.resolvers;
  let cur: ScutilResolver | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === 'DNS configuration') {
      section = out.resolvers;
      cur = null;
      continue;
    }
    if (line.startsWith('DNS configuration (for scoped')) {
      section = out.scoped;
      cur = null;
      continue;
    }
    const head = /^resolver #(\d+)$/.exec(line);
    if (head) {
      cur = { number: Number(head[1]), domain: null, searchDomains: [], nameservers: [], ifIndex: null, ifName: null, flags: [], reach: [], order: null, options: null };
      section.push(cur);
      continue;
    }
    if (!cur) continue;
    if (/^(Not Reachable|Reachable.*)$/.test(line)) {
      cur.reach = line.split(',').map((s) => s.trim());
      continue;
    }
    const kv = /^([a-z_ ]+?)(?:\[\d+\])?\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const [key, value] = [kv[1]!.trim(), kv[2]!.trim()];
    if (key === 'domain') cur.domain = value;
    else if (key === 'search domain') cur.searchDomains.push(value);
    else if (key === 'nameserver') cur.nameservers.push(value);
    else if (key === 'if_index') {
      const m = /^(\d+)(?:\s*\(([^)]+)\))?/.exec(value);
      if (m) {
        cur.ifIndex = Number(m[1]);
        cur.ifName = m[2] ?? null;
      }
    } else if (key === 'flags') cur.flags = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === 'reach') {
      const m = /\(([^)]*)\)/.exec(value);
      cur.reach = m ? m[1]!.split(',').map((s) => s.trim()) : [value];
    } else if (key === 'order') cur.order = Number(value);
    else if (key === 'options') cur.options = value;
  }
  return out;
}
