/**
 * Parsec fallback: open `parsec://peer_id=<ID>` with the OS's URL handler. Environment: plain Node.
 * UNVERIFIED (fact sheet §8: third-party sources only). Commands (argument arrays through the runner, never a shell):
 * Linux `xdg-open URL`, macOS `open URL`, Windows `rundll32.exe url.dll,FileProtocolHandler URL` — not `cmd /c start`,
 * because cmd.exe would interpret `&` and `^` in a URL.
 */
import type { ProcessRunner } from '../platform/runner';

export function parsecUrl(peerId: string): string {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(peerId)) throw new Error(`"${peerId}" is not a Parsec peer id (letters, digits, "_", ".", "-")`);
  return `parsec://peer_id=${peerId}`;
}

export function parsecOpenCommand(peerId: string, platform: NodeJS.Platform = process.platform): { program: string; args: string[]; url: string } {
  const url = parsecUrl(peerId);
  if (platform === 'win32') return { program: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url], url };
  if (platform === 'darwin') return { program: 'open', args: [url], url };
  return { program: 'xdg-open', args: [url], url };
}

export async function openParsec(runner: ProcessRunner, peerId: string, platform: NodeJS.Platform = process.platform): Promise<{ opened: boolean; url: string; error?: string }> {
  const cmd = parsecOpenCommand(peerId, platform);
  try {
    await runner.run(cmd.program, cmd.args, { timeoutMs: 15_000 });
    return { opened: true, url: cmd.url };
  } catch (err) {
    return { opened: false, url: cmd.url, error: (err as Error).message };
  }
}
