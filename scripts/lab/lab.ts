/**
 * `npm run lab -- <verb>` (bundled to dist/lab/lab.cjs):
 *   up [SCENARIO] [--id N] [--rtt MS] [--cap BYTES] [--artist-up]   build a lab (default scenario basic, id 0)
 *   down --id N | --all                                              remove it
 *   status [--id N]                                                  JSON status of labs
 *   relay --id N [--rtt MS] [--cap BYTES] [--block|--unblock]        change the relay's faults at run time
 *   scenarios                                                        list scenarios
 * Environment: plain Node, root.
 */
import { parseArgs } from 'node:util';
import { allLabStatus, labDown, labStatus, labUp, listLabs, listScenarios, loadLab, setRelay } from './index';

function num(v: string | boolean | undefined, name: string): number | undefined {
  if (v === undefined || typeof v === 'boolean') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      rtt: { type: 'string' },
      cap: { type: 'string' },
      'artist-up': { type: 'boolean' },
      all: { type: 'boolean' },
      block: { type: 'boolean' },
      unblock: { type: 'boolean' },
    },
  });
  const [verb, arg] = positionals;
  const id = num(values.id, 'id');
  const out = (doc: unknown) => process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  switch (verb) {
    case 'up': {
      const lab = await labUp({
        id: id ?? 0,
        scenario: arg ?? 'basic',
        rttMs: num(values.rtt, 'rtt'),
        capBytes: num(values.cap, 'cap'),
        artistUp: values['artist-up'] === true ? true : undefined,
      });
      out({ id: lab.id, scenario: lab.scenario, names: lab.names, profilePath: lab.profilePath, dir: lab.dir, artistUp: lab.artistUp, extra: lab.extra });
      process.stderr.write(`lab ${lab.id} up. Artist shell: ip netns exec ${lab.names.ns.artist} bash\n`);
      return 0;
    }
    case 'down': {
      if (values.all) {
        for (const l of listLabs()) await labDown(l);
        return 0;
      }
      if (id === undefined) throw new Error('down needs --id N (or --all)');
      await labDown(id);
      return 0;
    }
    case 'status': {
      if (id === undefined) {
        out(await allLabStatus());
        return 0;
      }
      const lab = loadLab(id);
      if (!lab) throw new Error(`no lab with id ${id}`);
      out(await labStatus(lab));
      return 0;
    }
    case 'relay': {
      const lab = id === undefined ? null : loadLab(id);
      if (!lab) throw new Error('relay needs --id N of a running lab');
      const change: { rttMs?: number; capBytes?: number; block?: boolean } = {};
      const rtt = num(values.rtt, 'rtt');
      const cap = num(values.cap, 'cap');
      if (rtt !== undefined) change.rttMs = rtt;
      if (cap !== undefined) change.capBytes = cap;
      if (values.block) change.block = true;
      if (values.unblock) change.block = false;
      out(await setRelay(lab, change));
      return 0;
    }
    case 'scenarios':
      for (const s of listScenarios()) process.stdout.write(`${s.name.padEnd(20)} ${s.summary}\n`);
      return 0;
    default:
      process.stderr.write('usage: lab up [SCENARIO] [--id N] [--rtt MS] [--cap BYTES] [--artist-up] | down --id N | status [--id N] | relay --id N … | scenarios\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    process.stderr.write(`lab: ${err.message}\n`);
    process.exitCode = 2;
  },
);
