/**
 * Windows DNS configuration, read through PowerShell's structured cmdlets (never localised ipconfig/netsh).
 * Environment: any.
 *
 *  - `Get-DnsClientServerAddress | Select-Object InterfaceAlias,InterfaceIndex,AddressFamily,ServerAddresses |
 *    ConvertTo-Json -Depth 3` → parseDnsServerJson. UNVERIFIED: no recording of this JSON exists; the property names
 *    are those of the MSFT_DNSClientServerAddress CIM class (learn.microsoft.com, DnsClient module,
 *    Get-DnsClientServerAddress) and ConvertTo-Json emits a bare object, not an array, for a single result — both
 *    shapes are accepted. AddressFamily is the numeric AF (2 = IPv4, 23 = IPv6) or its name.
 *  - `Get-DnsClientNrptPolicy | Format-List` → parseNrptList, tested on the recording
 *    test/fixtures/samples/windows-pwsh-get-dnsclientnrptpolicy-docs-example.txt (Microsoft docs example).
 */

export interface WindowsDnsServers {
  interfaceAlias: string;
  interfaceIndex: number | null;
  family: 'IPv4' | 'IPv6' | string;
  servers: string[];
}

export function parseDnsServerJson(text: string): WindowsDnsServers[] {
  if (text.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`Get-DnsClientServerAddress: output is not JSON (${(err as Error).message})`, { cause: err });
  }
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((it, i) => {
    if (!it || typeof it !== 'object') throw new Error(`Get-DnsClientServerAddress: item ${i} is not an object`);
    const o = it as Record<string, unknown>;
    const fam = o.AddressFamily;
    const family = fam === 2 || fam === 'IPv4' ? 'IPv4' : fam === 23 || fam === 'IPv6' ? 'IPv6' : String(fam);
    const servers = Array.isArray(o.ServerAddresses) ? o.ServerAddresses.map(String) : typeof o.ServerAddresses === 'string' ? [o.ServerAddresses] : [];
    return {
      interfaceAlias: String(o.InterfaceAlias ?? ''),
      interfaceIndex: typeof o.InterfaceIndex === 'number' ? o.InterfaceIndex : null,
      family,
      servers,
    };
  });
}

export interface NrptRule {
  namespace: string;
  nameServers: string[];
  directAccessDnsServers: string[];
  dnsSecValidationRequired: boolean | null;
  fields: Record<string, string>;
}

/** PowerShell Format-List: `Name : value` records separated by blank lines; long values wrap onto indented lines. */
export function parseNrptList(text: string): NrptRule[] {
  const records: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  let last: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') {
      cur = null;
      last = null;
      continue;
    }
    // `[^:]*` stops at the first colon in one pass; the name's trailing blanks are trimmed after (a lazy `[^:]*?\s*`
    // before the colon backtracked over every whitespace run: quadratic).
    const kv = /^(\S[^:]*):\s?(.*)$/.exec(raw);
    if (kv && !/^\s/.test(raw)) {
      if (!cur) {
        cur = {};
        records.push(cur);
      }
      last = kv[1]!.trimEnd();
      cur[last] = kv[2]!.trim();
    } else if (cur && last) {
      cur[last] = `${cur[last]} ${raw.trim()}`.trim();
    }
  }
  const list = (v: string | undefined) =>
    (v ?? '')
      .replace(/^\{|\}$/g, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return records
    .filter((r) => r.Namespace !== undefined)
    .map((r) => ({
      namespace: r.Namespace!,
      nameServers: list(r.NameServers),
      directAccessDnsServers: list(r.DirectAccessDnsServers),
      dnsSecValidationRequired: r.DnsSecValidationRequired === 'True' ? true : r.DnsSecValidationRequired === 'False' ? false : null,
      fields: r,
    }));
}
