/** Every check, in display order. Adding a check: one module here, one line in this list. */
import type { Check } from '../types';
import { dnsSystemCheck } from './dns-system';
import { dnsTunnelCheck } from './dns-tunnel';
import { icmpCheck } from './icmp';
import { pathMtuCheck } from './path-mtu';
import { routeConflictCheck } from './route-conflict';
import { sunshinePortsCheck } from './sunshine-ports';
import { tlsCheck } from './tls';
import { tunnelCheck } from './tunnel';

export const ALL_CHECKS: readonly Check[] = [
  tunnelCheck,
  icmpCheck,
  dnsTunnelCheck,
  dnsSystemCheck,
  pathMtuCheck,
  tlsCheck,
  sunshinePortsCheck,
  routeConflictCheck,
];
