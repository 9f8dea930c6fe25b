/**
 * Build moonlight-qt's `stream` argv from the artist's settings, the host's advertised codecs and the located
 * version. Environment: any. Rules: bitrate always passed; `--yuv444` only when the host advertises 4:4:4 for the
 * codec and Moonlight ≥ 6.1.0; `--hdr` only with a Main10 mode and Moonlight ≥ 6.0.0; `--packet-size` only when the
 * packet-size decision says so; explicit `--x`/`--no-x` for every toggle Longhaul manages (omitted = Moonlight's saved
 * preference, which would make launches irreproducible). The result is re-checked against the grammar.
 */
import type { StreamSettings } from '../../contract/stream';
import { hostSupportsCodec, hostSupportsHdr, hostSupportsYuv444, type CodecId } from './codecs';
import { checkPositional, checkStreamArgs } from './grammar';
import { moonlightDefaultBitrate } from './settings';
import { formatVersion, supports, type Version } from './version';

export interface ArgvInputs {
  host: string;
  app: string;
  settings: StreamSettings;
  version: Version | null;
  /** The host's decoded codec list; null when not probed (then no 4:4:4 or HDR: nothing proves the host has them). */
  hostCodecs: readonly CodecId[] | null;
  /** From decidePacketSize. */
  packetSize: number | null;
}

export interface BuiltArgv {
  /** Moonlight's arguments, starting with `stream`. */
  args: string[];
  bitrateKbps: number;
  yuv444: boolean;
  hdr: boolean;
  notes: string[];
}

export class ArgvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Moonlight would refuse these arguments: ${problems.join('; ')}`);
    this.name = 'ArgvError';
  }
}

const toggle = (name: string, on: boolean) => (on ? `--${name}` : `--no-${name}`);

export function buildStreamArgv(inp: ArgvInputs): BuiltArgv {
  const s = inp.settings;
  const notes: string[] = [];
  const positionalProblems = [checkPositional('host', inp.host), checkPositional('app', inp.app)].filter((p): p is string => p !== null);
  if (positionalProblems.length) throw new ArgvError(positionalProblems);
  const codecs = inp.hostCodecs;
  const vtext = inp.version ? formatVersion(inp.version) : 'unknown';

  let codec = s.videoCodec;
  if (codec === 'AV1' && !supports(inp.version, 'av1')) {
    notes.push(`AV1 needs Moonlight 5.0.0 or later (found ${vtext}); letting Moonlight choose the codec.`);
    codec = 'auto';
  }
  if (codecs && !hostSupportsCodec(codecs, codec)) {
    notes.push(`The host does not advertise ${codec}; letting Moonlight choose the codec.`);
    codec = 'auto';
  }

  let yuv444 = false;
  if (s.yuv444) {
    if (!supports(inp.version, 'yuv444')) notes.push(`YUV 4:4:4 needs Moonlight 6.1.0 or later (found ${vtext}).`);
    else if (!codecs) notes.push('YUV 4:4:4 left off: the host was not probed, so nothing shows it can encode 4:4:4.');
    else if (!hostSupportsYuv444(codecs, codec)) notes.push(`YUV 4:4:4 left off: the host does not advertise a 4:4:4 mode for ${codec === 'auto' ? 'any codec' : codec}.`);
    else yuv444 = true;
  }
  let hdr = false;
  if (s.hdr) {
    if (!supports(inp.version, 'hdr')) notes.push(`HDR needs Moonlight 6.0.0 or later (found ${vtext}).`);
    else if (codec === 'H.264') notes.push('HDR left off: H.264 has no Main10 mode; choose HEVC or AV1.');
    else if (!codecs) notes.push('HDR left off: the host was not probed, so nothing shows a Main10 mode.');
    else if (!hostSupportsHdr(codecs, codec, yuv444)) notes.push(`HDR left off: the host advertises no ${yuv444 ? '4:4:4 ' : ''}Main10 mode for ${codec === 'auto' ? 'any codec' : codec}.`);
    else hdr = true;
  }

  const bitrateKbps = s.bitrateKbps ?? moonlightDefaultBitrate(s.width, s.height, s.fps, yuv444);
  const args = [
    'stream',
    inp.host,
    inp.app,
    '--resolution',
    `${s.width}x${s.height}`,
    '--fps',
    String(s.fps),
    '--bitrate',
    String(bitrateKbps),
    '--display-mode',
    s.displayMode,
    '--video-codec',
    codec,
    '--video-decoder',
    s.videoDecoder,
    '--audio-config',
    s.audioConfig,
    toggle('absolute-mouse', s.absoluteMouse),
    toggle('game-optimization', s.gameOptimization),
    toggle('quit-after', s.quitAfter),
    toggle('vsync', s.vsync),
    toggle('frame-pacing', s.framePacing),
  ];
  if (supports(inp.version, 'hdr')) args.push(toggle('hdr', hdr));
  if (supports(inp.version, 'yuv444')) args.push(toggle('yuv444', yuv444));
  if (inp.packetSize !== null) args.push('--packet-size', String(inp.packetSize));

  const problems = checkStreamArgs(args, inp.version);
  if (problems.length) throw new ArgvError(problems);
  return { args, bitrateKbps, yuv444, hdr, notes };
}
