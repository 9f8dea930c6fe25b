/**
 * `/serverinfo` comes from another machine: a hostile or broken host must not be able to stall the parser (it runs in
 * Electron's main process) or push unbounded text into what Longhaul shows and logs.
 *
 * Timing: issue 13 demands a bound ("1 MiB hostile input parses in < 100 ms"; the property: "no run over 1 s"). The
 * 100 ms bound is checked on the fastest of three runs so a loaded build machine does not make it flaky; the quadratic
 * parser this replaces took minutes on these inputs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerInfo, SERVERINFO_FIELD_MAX, SERVERINFO_MAX_BYTES, ServerInfoError } from '../../../src-main/core/stream/serverinfo';

const SAMPLES = path.resolve(__dirname, '../../fixtures/samples');
const RECORDING = readFileSync(path.join(SAMPLES, 'any-sunshine-serverinfo-xml-truncated.txt'), 'utf8');
const MIB = 1024 * 1024;
const fill = (unit: string, bytes = MIB) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const ROOT = '<?xml version="1.0" encoding="utf-8"?>\n<root status_code="200">';

/** Parse (a ServerInfoError is an acceptable answer to garbage; anything else thrown is a bug). */
function attempt(xml: string): { info: ReturnType<typeof parseServerInfo> | null; error: string | null } {
  try {
    return { info: parseServerInfo(xml), error: null };
  } catch (err) {
    if (!(err instanceof ServerInfoError)) throw err;
    return { info: null, error: err.message };
  }
}

function fastestMs(runs: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const HOSTILE_1MIB: Record<string, string> = {
  'unclosed "<a" tags': ROOT + fill('<a'),
  'unclosed "<a " tags': ROOT + fill('<a '),
  'a lone "<" run': ROOT + fill('<'),
  'nesting without end': ROOT + fill('<a>'),
  'attributes without end': '<root ' + fill('a="1" '),
  'an unterminated attribute value': ROOT + '<hostname x="' + fill('x'),
  'many distinct siblings': ROOT + Array.from({ length: 70_000 }, (_, i) => `<t${i}>x</t${i}>`).join('').slice(0, MIB) + '</root>',
  'one huge hostname': ROOT + '<hostname>' + fill('h') + '</hostname><appversion>7.1.431.-1</appversion></root>',
  'the recording repeated': fill(RECORDING),
  'endless display modes after the fields': RECORDING + fill('<DisplayMode><Width>352</Width><Height>240</Height><RefreshRate>10</RefreshRate></DisplayMode>') + '</SupportedDisplayMode></root>',
  'comments without end': ROOT + '<hostname>h</hostname><appversion>7.1.431.-1</appversion><!--' + fill('-'),
};

describe('/serverinfo parser against hostile input', () => {
  for (const [name, xml] of Object.entries(HOSTILE_1MIB)) {
    it(`1 MiB of ${name} is answered in under 100 ms`, () => {
      expect(xml.length).toBeGreaterThanOrEqual(MIB);
      const ms = fastestMs(3, () => attempt(xml));
      expect(ms).toBeLessThan(100);
    });
  }

  it('keeps the leading fields of an answer cut at the size cap', () => {
    const r = attempt(HOSTILE_1MIB['endless display modes after the fields']!);
    expect(r.error).toBeNull();
    expect(r.info).toMatchObject({ hostname: 'Gaming3080ti', appversion: '7.1.431.-1', codecMask: 3843, truncated: true });
  });

  it('bounds every text field it returns', () => {
    const long = 'x'.repeat(3000);
    const xml = `${ROOT}<hostname>${long}</hostname><appversion>7.1.431.-1${long}</appversion><GfeVersion>${long}</GfeVersion><uniqueid>${long}</uniqueid><LocalIP>${long}</LocalIP><state>${long}</state></root>`;
    const info = parseServerInfo(xml);
    for (const v of [info.hostname, info.appversion, info.gfeVersion, info.uniqueid, info.localIp, info.state]) {
      expect(v!.length).toBeLessThanOrEqual(SERVERINFO_FIELD_MAX);
      expect(v!.startsWith('x') || v!.startsWith('7.1.431.-1')).toBe(true);
    }
    const status = `<root status_code="503" status_message="${long}"/>`;
    expect(attempt(status).error!.length).toBeLessThan(SERVERINFO_FIELD_MAX + 100);
  });

  it('refuses a field element that no GameStream host would send, saying which', () => {
    const xml = `${ROOT}<hostname>${'h'.repeat(20_000)}</hostname><appversion>7.1.431.-1</appversion></root>`;
    expect(attempt(xml).error).toMatch(/<hostname>.*longer than/);
  });

  it('does not turn absurd numbers into unsafe integers', () => {
    const info = parseServerInfo(`${ROOT}<hostname>h</hostname><appversion>7.1.431.-1</appversion><HttpsPort>${'9'.repeat(200)}</HttpsPort><currentgame>${'1'.repeat(30)}</currentgame></root>`);
    expect(info.httpsPort).toBeNull();
    expect(info.currentgame).toBeNull();
  });

  it('reads at most SERVERINFO_MAX_BYTES of an answer', () => {
    expect(SERVERINFO_MAX_BYTES).toBeGreaterThanOrEqual(16 * 1024); // many times a real answer (~1-4 KiB)
    const pad = fill('<!-- padding -->', SERVERINFO_MAX_BYTES);
    const r = attempt(`${ROOT}${pad}<hostname>late</hostname><appversion>7.1.431.-1</appversion></root>`);
    expect(r.info).toBeNull(); // the fields after the cap are not read
    expect(r.error).toMatch(/lacks <hostname>/);
  });
});

/** Pieces of real answers (the recording, Sunshine's status errors) and of XML syntax, for token soup. */
const FRAGMENTS = [
  ...RECORDING.split(/(?=<)/),
  '<root status_code="200">', '<root status_code="401" status_message="The client is not authorized. Certificate verification failed."/>', '</root>',
  '<state>SUNSHINE_SERVER_BUSY</state>', '<state>SUNSHINE_SERVER_FREE</state>', '<currentgame>881448767</currentgame>', '<PairStatus>0</PairStatus>',
  '<', '>', '/>', '</', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE root [<!ENTITY a "b">]>', '&amp;', '&', '&#x41;', '"', "'", '=',
  ' ', '\n', '\r\n', '\t', '\u0000', '\uFEFF', 'é', '<a', '<a>', '</a>', '<hostname>', '</hostname>', '<appversion>', '</appversion>',
];

/** A WireGuard-key-shaped marker: wherever the host hides it outside the fields Longhaul reads, it must not come out. */
const SECRET = 'kLm3bV9x2QpR7sT1uW4yZ6aC8dE0fG5hJ+nPqRsTuV0=';
const HIDING_PLACES = [
  (d: string) => d.replace('<root status_code="200">', `<root status_code="200"><mac>${SECRET}</mac>`),
  (d: string) => d.replace('<root status_code="200">', `<root status_code="200" x-token="${SECRET}">`),
  (d: string) => d.replace('<hostname>', `<!-- ${SECRET} --><hostname>`),
  (d: string) => d.replace('<hostname>', `<ExternalIP>${SECRET}</ExternalIP><hostname>`),
  (d: string) => d.replace('<HttpsPort>', `<SupportedDisplayMode><DisplayMode k="${SECRET}"/></SupportedDisplayMode><HttpsPort>`),
  (d: string) => d.replace('<hostname>', `<![CDATA[${SECRET}]]><hostname>`),
  (d: string) => `${d}<${SECRET.slice(0, 10)} v="${SECRET}">`,
  (d: string) => `${d}</root>${SECRET}`,
];

function outputOf(xml: string): string {
  const r = attempt(xml);
  return JSON.stringify(r);
}

describe('/serverinfo parser properties (fast-check)', () => {
  const timed = (xml: string): string => {
    const t = performance.now();
    const out = outputOf(xml);
    expect(performance.now() - t).toBeLessThan(1000);
    return out;
  };

  it('token soup never throws anything but ServerInfoError, and every field stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }), (parts) => {
        const r = attempt(parts.join(''));
        if (r.info) for (const v of [r.info.hostname, r.info.appversion, r.info.gfeVersion, r.info.uniqueid, r.info.localIp, r.info.state]) expect((v ?? '').length).toBeLessThanOrEqual(SERVERINFO_FIELD_MAX);
        if (r.error) expect(r.error.length).toBeLessThan(SERVERINFO_FIELD_MAX + 200);
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary strings never throw anything but ServerInfoError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000, unit: 'binary' }), (s) => void timed(s)), { numRuns: 1500 });
  });

  it('no secret in output, no run over 1 s: an error answer quoting a key or control characters echoes neither', () => {
    // eslint-disable-next-line no-control-regex
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const esc = ['\u001b]0;t\u0007', '\u001b[2J', '\u009b', '\u202e', '&#27;[1A', '&#x9b;'];
    fc.assert(
      fc.property(
        fc.constantFrom(SECRET, SECRET.toLowerCase(), SECRET.toUpperCase()),
        fc.array(fc.constantFrom(...esc, 'busy', ' ', 'x'.repeat(300)), { maxLength: 12 }),
        fc.nat({ max: 12 }),
        fc.constantFrom('503', '401', `9${SECRET}`),
        (secret, parts, at, code) => {
          const words = [...parts];
          words.splice(at % (words.length + 1), 0, secret);
          const msg = words.join('').replace(/"/g, '');
          const out = timed(`<root status_code="${code}" status_message="${msg}"/>`);
          const r = attempt(`<root status_code="${code}" status_message="${msg}"/>`);
          for (const k of [SECRET, SECRET.toLowerCase(), SECRET.toUpperCase()]) expect(out).not.toContain(k.slice(0, 40));
          expect(r.error ?? '').not.toMatch(raw);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('no secret in output, no run over 1 s: a marker hidden outside the read fields never comes out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HIDING_PLACES),
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }),
        fc.nat({ max: 64 }),
        fc.constantFrom(1, 1000, 10_000),
        (hide, noise, at, repeat) => {
          const base = hide(RECORDING.replace('<root status_code="200">', '<root status_code="200">'));
          const soup = noise.join('').repeat(repeat).slice(0, MIB + 4096);
          const cut = base.indexOf('<', Math.min(at * 16, base.length - 1));
          const xml = cut > 0 && at % 2 === 1 ? base.slice(0, cut) + soup + base.slice(cut) : base + soup;
          expect(timed(xml)).not.toContain(SECRET);
        },
      ),
      { numRuns: 300 },
    );
  });
});
