/**
 * The one parser of iproute2's JSON output (`ip -j addr`, `ip -j link [show dev IF]`, `ip -j route show table all`,
 * `ip -j route get ADDR`, `ip -j neigh show dev IF`, `ip -j rule`): the report, the local-networks reader (route conflicts) and the tunnel check all use it. Environment:
 * any. Tested on the recordings test/fixtures/samples/linux-ip-j-*.txt and test/fixtures/net/ (iproute2 6.1.0). Fields we do not use are
 * dropped; unknown shapes are an error naming the command, never a guess.
 */
import { z } from 'zod';

export interface NetInterface {
  name: string;
  index: number | null;
  mtu: number | null;
  state: string | null;
  flags: string[];
  linkType: string | null;
  mac: string | null;
  addresses: { family: 'inet' | 'inet6'; address: string; prefixLength: number; scope: string | null }[];
}

export interface NetRoute {
  dst: string;
  gateway: string | null;
  dev: string | null;
  table: string;
  protocol: string | null;
  scope: string | null;
  prefsrc: string | null;
  metric: number | null;
  mtu: number | null;
  type: string | null;
}

const AddrInfo = z.object({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number().optional(),
  scope: z.string().optional(),
});
const Link = z.object({
  ifindex: z.number(),
  ifname: z.string(),
  mtu: z.number().optional(),
  operstate: z.string().optional(),
  flags: z.array(z.string()).optional(),
  link_type: z.string().optional(),
  address: z.string().optional(),
  addr_info: z.array(AddrInfo).optional(),
});
const Route = z.object({
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  table: z.union([z.string(), z.number()]).optional(),
  protocol: z.string().optional(),
  scope: z.string().optional(),
  prefsrc: z.string().optional(),
  metric: z.number().optional(),
  type: z.string().optional(),
  metrics: z.array(z.record(z.string(), z.unknown())).optional(),
  mtu: z.number().optional(),
});

function parseJsonArray<T>(text: string, schema: z.ZodType<T>, what: string): T[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim() === '' ? '[]' : text);
  } catch (err) {
    throw new Error(`${what}: output is not JSON (${(err as Error).message}); is iproute2 older than 4.14 (no -j)?`, { cause: err });
  }
  const parsed = z.array(schema).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${what}: unexpected JSON at ${i.path.join('.')}: ${i.message}`);
  }
  return parsed.data;
}

/** `ip -j addr` (and `ip -j link`, the same records without `addr_info`); `what` names the command in errors. */
export function parseIpAddr(text: string, what = 'ip -j addr'): NetInterface[] {
  return parseJsonArray(text, Link, what).map((l) => ({
    name: l.ifname,
    index: l.ifindex,
    mtu: l.mtu ?? null,
    state: l.operstate ?? null,
    flags: l.flags ?? [],
    linkType: l.link_type ?? null,
    mac: l.address && l.link_type === 'ether' ? l.address : null,
    addresses: (l.addr_info ?? [])
      .filter((a) => (a.family === 'inet' || a.family === 'inet6') && a.local !== undefined)
      .map((a) => ({ family: a.family as 'inet' | 'inet6', address: a.local!, prefixLength: a.prefixlen ?? (a.family === 'inet' ? 32 : 128), scope: a.scope ?? null })),
  }));
}

/** `ip -j link show dev NAME`: that link, or null when the output does not list it (or is not iproute2 JSON). */
export function parseIpLink(text: string, name: string): NetInterface | null {
  let links: NetInterface[];
  try {
    links = parseIpAddr(text, 'ip -j link');
  } catch {
    return null;
  }
  return links.find((l) => l.name === name && l.mtu !== null) ?? null;
}

/** `defaultTable` names the table when the records carry none (`ip -j route` = main). */
export function parseIpRoute(text: string, defaultTable = 'main'): NetRoute[] {
  return parseJsonArray(text, Route, 'ip -j route').map((r) => {
    const mtuMetric = r.metrics?.find((m) => typeof m.mtu === 'number')?.mtu as number | undefined;
    return {
      dst: r.dst,
      gateway: r.gateway ?? null,
      dev: r.dev ?? null,
      table: r.table === undefined ? defaultTable : String(r.table),
      protocol: r.protocol ?? null,
      scope: r.scope ?? null,
      prefsrc: r.prefsrc ?? null,
      metric: r.metric ?? null,
      mtu: r.mtu ?? mtuMetric ?? null,
      type: r.type ?? null,
    };
  });
}

/** `ip -j rule`: kept as flat records of scalars (priority, selectors, table), which is all support reads. */
export function parseIpRule(text: string): Record<string, string | number | boolean | null>[] {
  return parseJsonArray(text, z.record(z.string(), z.unknown()), 'ip -j rule').map((r) => {
    const out: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    }
    return out;
  });
}

export interface NetNeighbour {
  dst: string;
  dev: string | null;
  /** The link-layer address; null while unresolved (INCOMPLETE, FAILED). */
  lladdr: string | null;
  state: string[];
}

const Neigh = z.object({
  dst: z.string(),
  dev: z.string().optional(),
  lladdr: z.string().optional(),
  state: z.array(z.string()).optional(),
});

/** `ip -j neigh [show dev IF]` (with `dev IF` the records carry no `dev`: it is `dev`). */
export function parseIpNeigh(text: string, dev: string | null = null): NetNeighbour[] {
  return parseJsonArray(text, Neigh, 'ip -j neigh').map((n) => ({ dst: n.dst, dev: n.dev ?? dev, lladdr: n.lladdr ?? null, state: n.state ?? [] }));
}
