/**
 * Which backend drives tunnels here: Windows → WireGuard for Windows; macOS → wg-quick (Homebrew); Linux →
 * NetworkManager when it runs (it manages the desktop), else wg-quick. `LONGHAUL_TUNNEL_BACKEND=wg-quick|networkmanager`
 * overrides (IT, the lab). Environment: plain Node.
 */
import type { ProcessRunner } from '../../platform/runner';
import { createNetworkManagerBackend, networkManagerRunning } from './networkmanager';
import type { TunnelBackend } from './types';
import { createWgQuickBackend } from './wg-quick';
import { createWindowsBackend } from './windows';

export async function selectBackend(
  runner: ProcessRunner,
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): Promise<TunnelBackend> {
  if (platform === 'win32') return createWindowsBackend(runner);
  if (platform === 'darwin') return createWgQuickBackend(runner, 'darwin');
  const forced = env.LONGHAUL_TUNNEL_BACKEND;
  if (forced === 'wg-quick') return createWgQuickBackend(runner, 'linux');
  if (forced === 'networkmanager') return createNetworkManagerBackend(runner);
  return (await networkManagerRunning(runner)) ? createNetworkManagerBackend(runner) : createWgQuickBackend(runner, 'linux');
}
