/**
 * The DF ping probe for the running OS, over the shared runner. Our own deadline kills the tool (an aborted tool is a
 * `timeout`), so a probe never outlives the check that asked for it. Environment: plain Node.
 */
import { ProcessError, type ProcessRunner } from '../../platform/runner';
import { linuxPingArgs, parseLinuxPing } from './ping-linux';
import { macosPingArgs, parseMacosPing } from './ping-macos';
import { isIpv4, type PingProbe, type PingRequest, type PingResult } from './ping-types';
import { parseWindowsPingJson, windowsPingCommand } from './ping-windows';

/** Output read from one ping (a reply or an error is a few hundred bytes); more is an error, not parsed. */
export const PING_MAX_OUTPUT_BYTES = 64 * 1024;

export function createPingProbe(runner: ProcessRunner, platform: NodeJS.Platform = process.platform): PingProbe {
  async function ping(req: PingRequest): Promise<PingResult> {
    if (!isIpv4(req.host)) return { outcome: 'error', rttMs: null, mtu: null, detail: `not an IPv4 address: ${req.host}` };
    if (!Number.isInteger(req.payload) || req.payload < 0 || req.payload > 65507) {
      return { outcome: 'error', rttMs: null, mtu: null, detail: `bad payload size ${req.payload}` };
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), req.timeoutMs);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let program: string;
      let args: string[];
      let env: Record<string, string> | undefined;
      if (platform === 'win32') {
        const cmd = windowsPingCommand(req.host, req.payload, req.timeoutMs);
        program = 'powershell.exe';
        args = cmd.args;
        env = cmd.env;
      } else if (platform === 'darwin') {
        program = 'ping';
        args = macosPingArgs(req.host, req.payload, req.timeoutMs);
      } else {
        program = 'ping';
        args = linuxPingArgs(req.host, req.payload, req.timeoutMs);
      }
      const res = await runner.run(program, args, { okCodes: 'any', signal: controller.signal, timeoutMs: req.timeoutMs + 5000, env, maxOutputBytes: PING_MAX_OUTPUT_BYTES });
      if (platform === 'win32') return parseWindowsPingJson(res.stdout);
      return platform === 'darwin' ? parseMacosPing(res.stdout, res.stderr) : parseLinuxPing(res.stdout, res.stderr);
    } catch (err) {
      if (err instanceof ProcessError && (err.kind === 'aborted' || err.kind === 'timeout')) {
        return { outcome: 'timeout', rttMs: null, mtu: null, detail: `no reply within ${req.timeoutMs} ms` };
      }
      return { outcome: 'error', rttMs: null, mtu: null, detail: (err as Error).message };
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
  return { platform, ping };
}
