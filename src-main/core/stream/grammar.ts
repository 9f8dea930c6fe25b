/**
 * moonlight-qt's command-line rules, checked BEFORE spawning (on Windows 6.1.0 every parse error opens a modal box).
 * Environment: any. Source: moonlight-qt `app/cli/commandlineparser.cpp` (QCommandLineParser, ParseAsLongOptions),
 * as summarised in the fact sheet §1: names case-sensitive, choices case-insensitive, `--packet-size` ≥ 1024, PIN of 4
 * characters, `WxH`, integers as QString::toInt takes them; `--hdr` ≥ 6.0.0, `--yuv444` ≥ 6.1.0, `AV1` ≥ 5.0.0.
 * The messages are Moonlight's own, so a problem reads the same here as from the program.
 */
import { supports, type Version } from './version';

const TOGGLES = [
  'vsync', 'multi-controller', 'quit-after', 'absolute-mouse', 'mouse-buttons-swap', 'touchscreen-trackpad',
  'game-optimization', 'audio-on-host', 'frame-pacing', 'mute-on-focus-loss', 'background-gamepad',
  'reverse-scroll-direction', 'swap-gamepad-buttons', 'keep-awake', 'performance-overlay',
] as const;
const FLAGS = ['720', '1080', '1440', '4K'] as const;
const INT_VALUES = ['fps', 'bitrate', 'packet-size'] as const;

function choices(version: Version | null): Record<string, readonly string[]> {
  return {
    'display-mode': ['fullscreen', 'windowed', 'borderless'],
    'audio-config': ['stereo', '5.1-surround', '7.1-surround'],
    'video-codec': supports(version, 'av1') ? ['auto', 'H.264', 'HEVC', 'AV1'] : ['auto', 'H.264', 'HEVC'],
    'video-decoder': ['auto', 'software', 'hardware'],
    'capture-system-keys': ['never', 'fullscreen', 'always'],
  };
}

function toggles(version: Version | null): string[] {
  const t: string[] = [...TOGGLES];
  if (supports(version, 'hdr')) t.push('hdr');
  if (supports(version, 'yuv444')) t.push('yuv444');
  return t.flatMap((x) => [x, `no-${x}`]);
}

const isQtInt = (v: string) => /^\s*[+-]?\d+\s*$/.test(v) && Math.abs(parseInt(v, 10)) <= 2147483647;

/** Problems with a `stream` argv (starting at `stream`), in Moonlight's words; empty = Moonlight accepts it. */
export function checkStreamArgs(args: readonly string[], version: Version | null): string[] {
  const problems: string[] = [];
  const ch = choices(version);
  const flagNames = new Set<string>([...FLAGS, ...toggles(version)]);
  const valueNames = new Set<string>(['resolution', ...INT_VALUES, ...Object.keys(ch)]);
  const unknown: string[] = [];
  const positionals: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const body = a.startsWith('--') ? a.slice(2) : a.slice(1);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (flagNames.has(name)) {
      if (eq >= 0) problems.push(`Unexpected value after '${a.slice(0, a.indexOf('='))}'.`);
    } else if (valueNames.has(name)) {
      const v = eq >= 0 ? body.slice(eq + 1) : args[++i];
      if (v === undefined) problems.push(`Missing value after '${a}'.`);
      else values.set(name, v);
    } else unknown.push(name);
  }
  if (unknown.length) problems.push(`Unknown options: ${unknown.join(', ')}`);
  const res = values.get('resolution');
  if (res !== undefined && !/^(\d+)x(\d+)$/i.test(res)) problems.push(`Invalid resolution format: ${res}`);
  for (const n of INT_VALUES) {
    const v = values.get(n);
    if (v !== undefined && !isQtInt(v)) problems.push(`Invalid ${n} value: ${v}`);
  }
  const ps = values.get('packet-size');
  if (ps !== undefined && isQtInt(ps) && parseInt(ps, 10) < 1024) problems.push('Packet size must be greater than 1024 bytes');
  for (const [n, allowed] of Object.entries(ch)) {
    const v = values.get(n);
    if (v !== undefined && !allowed.some((c) => c.toLowerCase() === v.toLowerCase())) problems.push(`Invalid ${n} choice: ${v}`);
  }
  if (positionals[0]?.toLowerCase() !== 'stream') problems.push('Invalid action');
  if (positionals.length < 2) problems.push('Host not provided');
  else if (positionals.length < 3) problems.push('App not provided');
  return problems;
}

/** `pair` takes any 4 characters (only the length is checked); Longhaul only ever generates 4 digits. */
export function checkPin(pin: string): string | null {
  return /^\d{4}$/.test(pin) ? null : 'PIN must be 4 digits';
}

/** A host or app Moonlight would read as an option (leading `-`), or an empty one, is refused. */
export function checkPositional(what: 'host' | 'app', value: string): string | null {
  if (value.trim() === '') return `${what === 'host' ? 'Host' : 'App'} not provided`;
  if (value.startsWith('-')) return `the ${what} "${value}" starts with "-", which Moonlight would read as an option`;
  if (/[\r\n\0]/.test(value)) return `the ${what} contains a line break or NUL`;
  return null;
}
