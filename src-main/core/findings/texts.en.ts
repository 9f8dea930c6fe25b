/**
 * English texts for every finding, keyed by code. `{name}` placeholders are filled from the finding's params.
 * Written for the artist first (title, detail) and for IT in the fix where the fix is theirs.
 * Environment: any.
 */
import type { FindingCode } from './definitions';

export interface FindingText {
  title: string;
  detail: string;
  fix: string;
}

export const TEXTS_EN: Record<FindingCode, FindingText> = {
  'tunnel.down': {
    title: 'The tunnel is not connected',
    detail: 'The WireGuard interface {interface} does not exist, so nothing can reach the farm.',
    fix: 'Press Connect (or run `longhaul up {profile}`). If it fails, the connection page says why.',
  },
  'tunnel.no-handshake': {
    title: 'The farm gateway does not answer',
    detail:
      'No WireGuard handshake with {endpoint} has completed. Either UDP to the gateway is blocked on the way, or the keys do not match (the gateway does not know this profile\'s public key, or the profile has the wrong gateway key).',
    fix: 'Try another network (a hotel or office network may block UDP port {port}). If that does not help, send IT this profile\'s public key {publicKey} and ask them to confirm it is on the gateway, and that the gateway\'s public key in the profile is current.',
  },
  'tunnel.stale': {
    title: 'The tunnel stopped hearing from the gateway',
    detail:
      'No WireGuard handshake with {endpoint} for more than {thresholdSec} s while traffic kept being sent on {profile}: what this computer sends is not answered (UDP is being dropped on the way, or the gateway is down).',
    fix: 'Wait a moment: WireGuard retries by itself. If it stays, disconnect and reconnect, or try another network; if it keeps happening, the network may drop UDP after a while: tell IT.',
  },
  'tunnel.vanished': {
    title: 'The tunnel disappeared',
    detail: 'The WireGuard interface {interface} that Longhaul brought up for {profile} is gone (another program removed it, or the system dropped it on sleep or a network change).',
    fix: 'Press Connect again (or run `longhaul up {profile}`). If it keeps vanishing, another VPN or network tool on this computer may be removing it.',
  },
  'icmp.unreachable': {
    title: 'The gateway does not answer ping',
    detail: 'ICMP echo to {target} got no answer. Many gateways filter ping; the other checks decide whether the tunnel works.',
    fix: 'Nothing to do if the other checks pass. For exact MTU measurement, IT can allow ICMP echo from the tunnel to {target}.',
  },
  'dns.resolver-unreachable': {
    title: 'The farm\'s name server does not answer through the tunnel',
    detail: 'A DNS query to {server} over the tunnel got {outcome}. The tunnel itself works (ping and the handshake pass), so the resolver is not listening on the tunnel interface.',
    fix: 'IT: make the resolver listen on the tunnel interface. For dnsmasq add `interface={tunnelInterface}` with `bind-dynamic` (plain `bind-interfaces` makes dnsmasq exit at boot when the interface is not up yet) and allow UDP/TCP 53 from the tunnel.',
  },
  'dns.name-unresolved': {
    title: 'A farm name does not resolve',
    detail: 'The resolver {server} answered {rcode} for {name}.',
    fix: 'IT: add {name} to the farm\'s DNS, or correct the name in the site file.',
  },
  'dns.system-not-using-tunnel': {
    title: 'This computer does not ask the farm\'s name server',
    detail: 'The tunnel resolver answers {name}, but the system resolver {systemOutcome}. Apps (and Moonlight) use the system resolver.',
    fix: 'Reconnect the tunnel so its DNS settings are applied. On Linux this needs resolvconf or systemd-resolved; IT can also set the DNS of the tunnel in the profile ({dns}).',
  },
  'mtu.blackhole': {
    title: 'Large packets vanish in the tunnel',
    detail: 'Packets up to {pathMtu} bytes cross; larger ones are silently dropped (the tunnel MTU is {tunnelMtu}). TLS, SMB, RDP and the stream hang on this.',
    fix: 'Set the tunnel MTU to {pathMtu} (Apply fix does this on this computer), or ask IT to clamp TCP MSS on the gateway. The largest Moonlight packet size that fits is {moonlightPacketSize}.',
  },
  'tcp.large-payload-stalled': {
    title: 'A secure connection stalls after the first packets',
    detail: 'The TLS handshake with {target} started but the server\'s certificate never arrived within {timeoutMs} ms.',
    fix: 'Usually an MTU problem on the path: lower the tunnel MTU, or ask IT to clamp TCP MSS on the gateway.',
  },
  'route.conflict': {
    title: 'Your local network uses the farm\'s addresses',
    detail: 'The tunnel route {prefix} overlaps {conflictWith} on {interface}. Traffic for those addresses would go to the wrong place.',
    fix: 'Ask IT for a profile whose AllowedIPs avoid {conflictPrefix}, or change your home router\'s network range (for example to 192.168.77.0/24).',
  },
  'route.overlap-inactive': {
    title: 'Two profiles use overlapping addresses',
    detail: 'The route {prefix} overlaps the stored profile {otherProfile} ({otherPrefix}). They cannot be connected at the same time.',
    fix: 'Connect only one of them at a time, or ask IT to give them distinct ranges.',
  },
  'stream.sunshine-not-listening': {
    title: 'The workstation\'s streaming service is not running',
    detail: '{host} is reachable but nothing listens on {closedPorts}.',
    fix: 'Ask IT to start Sunshine on {host} (or restart the workstation).',
  },
  'stream.path-mtu-too-small': { title: 'The tunnel is too narrow for the stream', detail: 'Packets up to {pathMtu} bytes cross the tunnel; Moonlight\'s smallest video packet needs {minPathMtu}.', fix: 'Set the tunnel MTU to {pathMtu} so other traffic stops stalling, and connect from a network whose path to the gateway carries at least {minOuter}-byte packets (IT: check the uplink, PPPoE or mobile-network MTU, or clamp MSS on the gateway).' },
  'stream.capacity-low': {
    title: 'The line carries less than these stream settings need',
    detail: 'Measured through the tunnel: a clean stream up to {measuredMbit} Mbit/s; {settings} needs {neededMbit} Mbit/s (Moonlight\'s bitrate for it). Longhaul passes Moonlight {bitrateMbit} Mbit/s so the stream does not stutter.',
    fix: 'Stream {proposal}. For the full quality, use a wired connection instead of Wi-Fi or a faster network.',
  },
  'stream.capacity-too-low': {
    title: 'The line is too slow for a usable stream',
    detail: 'Measured through the tunnel: a clean stream only up to {measuredMbit} Mbit/s (limit: {limit}); a usable stream needs at least {minMbit} Mbit/s.',
    fix: 'Use a wired connection instead of Wi-Fi, move closer to the Wi-Fi router, stop other downloads, or connect from another network (a phone hotspot can help). Then stream {proposal}.',
  },
  'stream.capacity-unmeasured': {
    title: 'The line was not measured',
    detail: 'Longhaul could not check that this connection carries the stream: {why}. Moonlight gets {bitrateMbit} Mbit/s without proof that the line carries it.',
    fix: '{fix} The stream can start without the measurement.',
  },
  'stream.capacity-fell': {
    title: 'The line on this network is slower than last time',
    detail: 'The {fell}: something on this network changed (Wi-Fi signal, another download, the provider).',
    fix: 'If the stream stutters, move closer to the Wi-Fi router or use a cable, pause other downloads, or restart the router. Longhaul already passes Moonlight what the line carries now.',
  },
  'net.loss': {
    title: 'The line loses packets',
    detail: '{lossPercent} % of a stream-shaped test at {rateMbit} Mbit/s was lost even below the line\'s capacity; the picture will break up or stutter.',
    fix: 'Use a wired connection instead of Wi-Fi, or another network. If it persists on a wired line, ask your internet provider to check the line.',
  },
  'net.bufferbloat': {
    title: 'The line queues too long under load',
    detail: 'While the test filled the line, the delay grew by {delayGrowthMs} ms (bufferbloat): a router is buffering the stream instead of dropping. Input will lag when the stream is busy.',
    fix: 'Stream at {bitrateMbit} Mbit/s or less (Longhaul does so). On your router, turn on SQM / Smart Queue (fq_codel or CAKE); stop other large downloads while streaming.',
  },
  'checks.no-target': {
    title: 'A check had nothing to test',
    detail: '{check} was skipped: {why}.',
    fix: 'IT: add the missing entry ({missing}) to the profile or the site file so this can be checked.',
  },
  'checks.fix-available': {
    title: 'A fix is ready to apply',
    detail: 'The last checks of {profile} found: {finding}. Longhaul can fix this on this computer.',
    fix: 'Open Checks and press Apply fix.',
  },
  'policy.source-refused': {
    title: 'A managed-policy source was ignored',
    detail: '{source}: {reason}',
    fix: 'IT: correct the policy source; until then Longhaul uses the remaining sources and defaults.',
  },
};
