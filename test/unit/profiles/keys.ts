/** Throwaway test keys (generated with `wg genkey`/`wg pubkey` for the tests; never used anywhere real). */
export const PRIV = 'KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=';
export const OWN_PUB = 'BwxHVa5b/+DA0Z9s5ScvTBnYCJUkvVi64l58yvqS0Sk=';
export const PUB = 'aRUl5YUTJT3z9plbdD618jjduqE4lbirNAyzMmCOUlc=';
export const PUB2 = 'fV8AREqk6AMOVHip1xNabQ8XOEkz/QdReiD9ocH0Nj8=';
export const PSK = 'Tw4fAqSjYaIVWp6KAjn1yE+OTCk2Zu+ZR9lnnq+2XxQ=';
export const PRIV2 = 'oMtn8geuyXtkkRCszoP2LmiFN7GKTOp7gG9rBEW+MUw=';
export const OWN_PUB2 = 'Rb4GAz01pr266q4c/3/4vnhlboZs5zA86DT+hNXqKxg=';

export function conf(opts: { priv?: string; address?: string; extraIface?: string[]; peers?: Array<{ pub: string; allowed: string; psk?: string }> } = {}): string {
  const lines = ['[Interface]', `PrivateKey = ${opts.priv ?? PRIV}`, `Address = ${opts.address ?? '10.8.0.2/32'}`, ...(opts.extraIface ?? [])];
  for (const p of opts.peers ?? [{ pub: PUB, allowed: '10.8.0.0/24' }]) {
    lines.push('', '[Peer]', `PublicKey = ${p.pub}`, `AllowedIPs = ${p.allowed}`, 'Endpoint = 192.0.2.10:51820');
    if (p.psk) lines.push(`PresharedKey = ${p.psk}`);
  }
  return lines.join('\n') + '\n';
}
