/**
 * Linux DNS configuration parsers: resolv.conf(5) and `resolvectl status`. Environment: any.
 * Tested on test/fixtures/samples/linux-etc-resolv-conf-*.txt and linux-resolvectl-status-*.txt.
 */

export interface ResolvConf {
  /** Who wrote the file, from its header comments. */
  manager: 'systemd-resolved' | 'resolvconf' | 'NetworkManager' | 'wg-quick' | null;
  nameservers: string[];
  search: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { manager: null, nameservers: [], search: [], options: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) {
      if (out.manager === null) {
        if (/systemd-resolved/i.test(line)) out.manager = 'systemd-resolved';
        else if (/NetworkManager/.test(line)) out.manager = 'NetworkManager';
        else if (/resolvconf/i.test(line)) out.manager = 'resolvconf';
        else if (/wg-quick/i.test(line)) out.manager = 'wg-quick';
      }
      continue;
    }
    const [word, ...rest] = line.split(/\s+/);
    if (word === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (word === 'search' || word === 'domain') out.search.push(...rest.filter((d) => d !== ''));
    else if (word === 'options') out.options.push(...rest);
  }
  return out;
}

export interface ResolvedLink {
  index: number;
  name: string;
  scopes: string[];
  protocols: string[];
  currentServer: string | null;
  servers: string[];
  domains: string[];
  defaultRoute: boolean | null;
}

export interface ResolvectlStatus {
  global: { mode: string | null; protocols: string[]; servers: string[]; fallbackServers: string[]; domains: string[] };
  links: ResolvedLink[];
}

const RESOLVECTL_LABELS = new Set(['protocols', 'resolv.conf mode', 'current scopes', 'current dns server', 'dns servers', 'fallback dns servers', 'dns domain', 'default route', 'llmnr setting', 'multicastdns setting', 'dnsovertls setting', 'dnssec setting', 'dnssec supported', 'dnssec ntas']);

/** `resolvectl status`: "Label: value" lines (label column width varies; long values wrap onto indented lines). */
export function parseResolvectlStatus(text: string): ResolvectlStatus {
  const status: ResolvectlStatus = { global: { mode: null, protocols: [], servers: [], fallbackServers: [], domains: [] }, links: [] };
  let link: ResolvedLink | null = null;
  let lastLabel: string | null = null;
  const words = (v: string) => v.split(/\s+/).filter((w) => w !== '');
  const apply = (label: string, value: string) => {
    const v = words(value);
    const g = status.global;
    switch (label) {
      case 'protocols':
        (link ? link.protocols : g.protocols).push(...v);
        if (link) link.defaultRoute ??= v.includes('+DefaultRoute') ? true : v.includes('-DefaultRoute') ? false : null;
        break;
      case 'resolv.conf mode':
        g.mode = v[0] ?? null;
        break;
      case 'current scopes':
        if (link) link.scopes.push(...v.filter((s) => s !== 'none'));
        break;
      case 'current dns server':
        if (link) link.currentServer = v[0] ?? null;
        break;
      case 'dns servers':
        (link ? link.servers : g.servers).push(...v);
        break;
      case 'fallback dns servers':
        g.fallbackServers.push(...v);
        break;
      case 'dns domain':
        (link ? link.domains : g.domains).push(...v);
        break;
      case 'default route':
        if (link) link.defaultRoute = v[0] === 'yes';
        break;
      default:
        break;
    }
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd(); // not /\s+$/: that backtracks over every whitespace run (quadratic)
    if (line === '') {
      lastLabel = null;
      continue;
    }
    if (line === 'Global') {
      link = null;
      continue;
    }
    const header = /^Link (\d+) \(([^)]+)\)$/.exec(line);
    if (header) {
      link = { index: Number(header[1]), name: header[2]!, scopes: [], protocols: [], currentServer: null, servers: [], domains: [], defaultRoute: null };
      status.links.push(link);
      lastLabel = null;
      continue;
    }
    const kv = /^\s*([A-Za-z][A-Za-z. ]*?):\s*(.*)$/.exec(line);
    const label = kv?.[1]!.trim().toLowerCase();
    if (kv && label !== undefined && RESOLVECTL_LABELS.has(label)) {
      lastLabel = label;
      apply(label, kv[2]!);
    } else if (kv && label !== undefined && !lastLabel) {
      lastLabel = label; // a label this parser does not use
    } else if (lastLabel && /^\s+\S/.test(line)) {
      apply(lastLabel, line); // continuation of a wrapped value
    }
  }
  return status;
}
