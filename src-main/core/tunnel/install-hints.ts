/**
 * What to install when a WireGuard tool is missing, per OS, in words an artist can hand to IT. Environment: any.
 */
export type Os = 'linux' | 'darwin' | 'win32';

export interface MissingTool {
  tool: string;
  why: string;
}

export function osOf(platform: NodeJS.Platform): Os {
  return platform === 'darwin' ? 'darwin' : platform === 'win32' ? 'win32' : 'linux';
}

/** Where the official WireGuard app (App Store) lives on macOS; it has no tools Longhaul can drive. */
export const MAC_WIREGUARD_APP = '/Applications/WireGuard.app';

export function installInstruction(os: Os, missing: readonly MissingTool[], opts: { officialMacAppInstalled?: boolean } = {}): string {
  const names = missing.map((m) => m.tool);
  const needsResolvconf = names.includes('resolvconf');
  const needsWg = names.some((n) => n !== 'resolvconf');
  const parts: string[] = [];
  if (os === 'linux') {
    if (needsWg) {
      parts.push(
        'Install WireGuard\'s tools: Debian/Ubuntu `sudo apt install wireguard-tools` (add `wireguard-go` when the kernel has no WireGuard module), Fedora `sudo dnf install wireguard-tools`, Arch `sudo pacman -S wireguard-tools`.',
      );
    }
    if (needsResolvconf) {
      parts.push(
        'This profile sets `DNS =`, which wg-quick applies with `resolvconf`: Debian/Ubuntu `sudo apt install openresolv` (or `systemd-resolved`, which provides `resolvconf`), Fedora `sudo dnf install systemd-resolved`, Arch `sudo pacman -S openresolv`.',
      );
    }
  } else if (os === 'darwin') {
    if (opts.officialMacAppInstalled) {
      parts.push(
        'The WireGuard app is installed, but it cannot be driven by other programs: keep it for your own tunnels (disconnect it while using Longhaul, two tunnels to the same farm conflict), and',
      );
    }
    parts.push(
      'Install WireGuard\'s command-line tools with Homebrew: `brew install wireguard-tools` (it brings `wg`, `wg-quick`, `wireguard-go` and bash 4). The WireGuard app from the App Store has no command-line tools Longhaul can drive.',
    );
  } else {
    parts.push('Install WireGuard for Windows from https://www.wireguard.com/install/ (it provides `wireguard.exe` and `wg.exe`), then restart Longhaul.');
  }
  return `Missing: ${names.join(', ')} (${missing.map((m) => m.why).join('; ')}). ${parts.join(' ')}`;
}
