/**
 * The self-check fault scenarios (issue 5). Each raises the farm (farm.ts) and applies one real fault; the table in
 * docs/checks.md lists the error findings each must produce. They bring the artist tunnel up themselves (after the
 * fault), so do not pass --artist-up. Environment: plain Node, root.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../netns';
import type { LabScenario } from '../scenarios';
import { generateKeyPair } from '../keys';
import { artistUp, farmNames, startFarm } from './farm';

export const SELF_CHECK_SCENARIOS: LabScenario[] = [
  {
    name: 'farm-healthy',
    summary: 'the farm (dnsmasq, stream host with TLS 47984 / stand-in 47989 / 48010, site.json), tunnel up: healthy',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'dns-not-listening',
    summary: 'dnsmasq bound to the underlay, not the tunnel: DNS to the tunnel address gets ICMP port unreachable',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx, { dns: 'elsewhere' });
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'dns-dropped',
    summary: 'UDP 53 silently dropped on the gateway tunnel interface (timeout)',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await ctx.exec('gateway', 'iptables', ['-I', 'INPUT', '-i', lab.names.gatewayIf, '-p', 'udp', '--dport', '53', '-j', 'DROP']);
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'dns-nxdomain',
    summary: 'site.json names a host the farm resolver does not know (NXDOMAIN)',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx, { unknownNames: [`render-missing.${farmNames(lab).domain}`] });
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'dns-system-bypass',
    summary: "the artist's system resolver does not use the tunnel DNS (resolv.conf points elsewhere)",
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await artistUp(lab, ctx);
      // After wg-quick applied DNS: the system resolver is replaced by one that is not the farm's.
      writeFileAtomic(path.join('/etc/netns', lab.names.ns.artist, 'resolv.conf'), '# Longhaul lab: not the tunnel DNS\nnameserver 127.0.0.1\n', 0o644);
    },
  },
  {
    name: 'farm-blackhole',
    summary: 'tunnel datagrams above --cap (default 1400) dropped both ways by the relay, no ICMP back',
    defaults: { capBytes: 1400 },
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'farm-udp-blocked',
    summary: 'UDP to the gateway dropped: no handshake',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await ctx.relay({ block: true });
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'farm-wrong-key',
    summary: "the gateway knows another peer key than the artist's: no handshake",
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      const other = generateKeyPair();
      await ctx.exec('gateway', 'wg', ['set', lab.names.gatewayIf, 'peer', lab.keys.artist.publicKey, 'remove', 'peer', other.publicKey, 'allowed-ips', `${lab.names.addr.artistTunnel}/32`]);
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'farm-no-interface',
    summary: 'the farm is there but the artist tunnel is not up (interface absent)',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
    },
  },
  {
    name: 'sunshine-down',
    summary: 'the stream host is reachable but nothing listens on 47984/47989/48010',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx, { sunshine: false });
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'route-conflict',
    summary: 'a local interface (veth lh<id>x) in the artist namespace overlaps the AllowedIPs (10.200.<id>.128/25)',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      // A veth pair with both ends in the artist namespace (no `dummy` module needed), both up so it is RUNNING.
      const dev = `lh${lab.names.id}x`;
      const peer = `lh${lab.names.id}y`;
      await ctx.exec('artist', 'ip', ['link', 'add', dev, 'type', 'veth', 'peer', 'name', peer]);
      await ctx.exec('artist', 'ip', ['address', 'add', `10.200.${lab.names.id}.129/25`, 'dev', dev]);
      await ctx.exec('artist', 'ip', ['link', 'set', peer, 'up']);
      await ctx.exec('artist', 'ip', ['link', 'set', dev, 'up']);
      ctx.record('conflictInterface', dev);
      await artistUp(lab, ctx);
    },
  },
  {
    name: 'icmp-filtered',
    summary: 'the gateway drops ICMP echo from the tunnel (TLS decides about large packets)',
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await ctx.exec('gateway', 'iptables', ['-I', 'INPUT', '-i', lab.names.gatewayIf, '-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'DROP']);
      await artistUp(lab, ctx);
    },
  },
];
