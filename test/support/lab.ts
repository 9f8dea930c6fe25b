/**
 * Root-only tests (network namespaces, wireguard-go, iptables, real pkexec): one predicate and one loud skip notice
 * for every file that needs root, instead of a copy in each. Environment: plain Node (vitest).
 */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Say loudly, once per file, that its root-only tests are skipped (a silent skip reads as a pass). */
export function warnSkippedUnlessRoot(what: string): void {
  if (!isRoot) console.warn(`\n*** SKIPPED: ${what} ***\n`);
}
