/**
 * The profile model shared by the parser, the serialiser, the store and the contract handlers. Environment: any.
 */

export interface WgHooks {
  preUp: string[];
  postUp: string[];
  preDown: string[];
  postDown: string[];
}

export interface WgInterface {
  privateKey: string;
  /** CIDR, e.g. `10.8.0.2/32`, `fd00::2/128` (bare addresses are normalised to a full-length prefix). */
  addresses: string[];
  /** DNS server addresses. */
  dns: string[];
  /** DNS search domains (only applied by wg-quick when at least one server is present). */
  dnsSearch: string[];
  mtu: number | null;
  listenPort: number | null;
  /** `off`, `auto` or `main`; null = not given (= auto). */
  table: string | null;
  /** Only ever non-empty for a policy-delivered profile parsed with `allowScripts`. */
  hooks: WgHooks;
}

export interface WgEndpoint {
  /** A hostname, an IPv4 address or an IPv6 address (without brackets). */
  host: string;
  port: number;
}

export interface WgPeer {
  publicKey: string;
  presharedKey: string | null;
  /** CIDR list, canonical text (explicit prefix length). */
  allowedIps: string[];
  endpoint: WgEndpoint | null;
  persistentKeepalive: number | null;
}

export interface WgProfile {
  interface: WgInterface;
  peers: WgPeer[];
}

/** One problem found in an input. `line` is 1-based in the decoded text, null when not tied to a line. */
export interface ProfileIssue {
  line: number | null;
  code: string;
  message: string;
}

export interface ParseResult {
  /** Null exactly when `errors` is non-empty. */
  profile: WgProfile | null;
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
  /** A valid interface name derived from the file name (or a default). */
  suggestedName: string;
  /** True when `suggestedName` differs from the name the file carried (or there was no file name). */
  nameSuggested: boolean;
}

export interface ParseOptions {
  fileName?: string;
  origin: 'user' | 'policy';
  /** Hooks are kept only for a policy-delivered profile with this set. */
  allowScripts?: boolean;
}

export function emptyHooks(): WgHooks {
  return { preUp: [], postUp: [], preDown: [], postDown: [] };
}
