/**
 * The environment boundaries are enforced by lint: plant violations in each environment and see ESLint refuse them
 * (and accept the same import where it is allowed).
 */
import { ESLint } from 'eslint';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(relFile: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(root, relFile) });
  return res!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint: environment boundaries', () => {
  it('refuses electron in the core, the CLI and the harness', async () => {
    for (const file of ['src-main/core/planted.ts', 'src-main/cli/planted.ts', 'src-main/harness/planted.ts']) {
      const msgs = await ruleIds(file, "import { app } from 'electron';\nexport const x = app;\n");
      expect(msgs.join('\n'), file).toMatch(/no-restricted-imports: .*Only src-main\/shell\/ may import electron/);
    }
    const req = await ruleIds('src-main/core/planted.ts', "export const e = require('electron');\n");
    expect(req.join('\n')).toMatch(/no-restricted-syntax: Only src-main\/shell\/ may require electron/);
  });

  it('main never dispatches its own contract calls: only the transports import the dispatcher', async () => {
    const code = "import { dispatch } from '../../contract/dispatch';\nexport const x = dispatch;\n";
    for (const file of ['src-main/core/app/planted.ts', 'src-main/cli/commands/planted.ts']) {
      expect((await ruleIds(file, code)).join('\n'), file).toMatch(/no-restricted-imports: .*Only the transports/);
    }
    const shellCode = "import { dispatch } from '../contract/dispatch';\nexport const x = dispatch;\n";
    expect((await ruleIds('src-main/shell/planted.ts', shellCode)).join('\n')).toMatch(/Only the transports/);
    expect((await ruleIds('src-main/shell/ipc.ts', shellCode)).filter((m) => /Only the transports/.test(m))).toEqual([]);
  });

  it('allows electron in the shell', async () => {
    const msgs = await ruleIds('src-main/shell/planted.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(msgs.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });

  it('refuses Node, Electron and non-contract main code in the renderer, allows the contract', async () => {
    const node = await ruleIds('src-renderer/planted.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n");
    expect(node.join('\n')).toMatch(/no-restricted-imports: .*no Node modules/);
    const bare = await ruleIds('src-renderer/planted.ts', "import * as cp from 'child_process';\nexport const x = cp;\n");
    expect(bare.join('\n')).toMatch(/no-restricted-imports/);
    const el = await ruleIds('src-renderer/planted.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n");
    expect(el.join('\n')).toMatch(/no-restricted-imports/);
    const core = await ruleIds('src-renderer/planted.ts', "import { createRunner } from '../src-main/core/platform/runner';\nexport const x = createRunner;\n");
    expect(core.join('\n')).toMatch(/only through the contract/);
    const ok = await ruleIds('src-renderer/planted.ts', "import { calls } from '../src-main/contract';\nexport const x = calls;\n");
    expect(ok.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });

  it('sends every request to another machine through the net client (deadlines, byte caps)', async () => {
    const planted = [
      "import * as http from 'node:http';\nexport const x = http;\n",
      "import * as https from 'https';\nexport const x = https;\n",
      "import * as net from 'node:net';\nexport const s = net.connect({ host: 'h', port: 1 });\n",
      "import * as net from 'node:net';\nexport const s = new net.Socket();\n",
      "import * as tls from 'node:tls';\nexport const s = tls.connect({ host: 'h', port: 1 });\n",
      "export const r = fetch('https://example.invalid/');\n",
    ];
    for (const file of ['src-main/core/stream/planted.ts', 'src-main/cli/planted.ts']) {
      for (const code of planted) {
        const msgs = await ruleIds(file, code);
        expect(msgs.join('\n'), `${file}: ${code}`).toMatch(/no-restricted-(imports|syntax): .*net-client\.ts/);
      }
    }
    const inClient = await ruleIds('src-main/core/platform/net-client.ts', "import * as http from 'node:http';\nimport * as net from 'node:net';\nexport const x = [http, net.connect({ port: 1 })];\n");
    expect(inClient.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
    const isIp = await ruleIds('src-main/core/stream/planted.ts', "import * as net from 'node:net';\nexport const x = net.isIP('1.2.3.4');\n");
    expect(isIp.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });

  it('reads local networks only through core/net (one source for the route-conflict check and up)', async () => {
    const planted = [
      "import * as os from 'node:os';\nexport const x = os.networkInterfaces();\n",
      "import * as os from 'node:os';\nexport const f = os.networkInterfaces;\n",
      "import { networkInterfaces } from 'node:os';\nexport const x = networkInterfaces();\n",
    ];
    for (const file of ['src-main/core/checks/list/planted.ts', 'src-main/cli/planted.ts', 'src-main/shell/planted.ts', 'src-main/harness/planted.ts', 'scripts/planted.ts']) {
      for (const code of planted) {
        const msgs = await ruleIds(file, code);
        expect(msgs.join('\n'), `${file}: ${code}`).toMatch(/no-restricted-syntax: .*core\/net\/local-networks\.ts/);
      }
    }
    const inNet = await ruleIds('src-main/core/net/planted.ts', planted[0]!);
    expect(inNet.filter((m) => m.startsWith('no-restricted'))).toEqual([]);
  });

  it('keeps the contract neutral', async () => {
    const msgs = await ruleIds('src-main/contract/planted.ts', "import * as os from 'node:os';\nimport { x } from '../core/app/identity';\nexport const y = [os, x];\n");
    expect(msgs.filter((m) => m.startsWith('no-restricted-imports')).length).toBe(2);
  });
});

describe('lint: the core domain import matrix (longhaul/domain-imports)', () => {
  it('refuses a lower domain importing a higher one, and the core importing the CLI/shell/harness/helper', async () => {
    const up = await ruleIds('src-main/core/findings/planted.ts', "import { parseWgDump } from '../tunnel/wg-dump';\nexport const x = parseWgDump;\n");
    expect(up.join('\n')).toMatch(/longhaul\/domain-imports: core\/findings may not import core\/tunnel/);
    const profilesToChecks = await ruleIds('src-main/core/profiles/planted.ts', "import { ALL_CHECKS } from '../checks/list';\nexport const x = ALL_CHECKS;\n");
    expect(profilesToChecks.join('\n')).toMatch(/core\/profiles may not import core\/checks/);
    for (const area of ['cli/main', 'shell/main', 'harness/host', 'helper/main']) {
      const msgs = await ruleIds('src-main/core/checks/planted.ts', `import * as m from '../../${area}';\nexport const x = m;\n`);
      expect(msgs.join('\n'), area).toMatch(/The core must not import src-main\//);
    }
    const unknown = await ruleIds('src-main/core/newdomain/planted.ts', "import { makeFinding } from '../findings/finding';\nexport const x = makeFinding;\n");
    expect(unknown.join('\n')).toMatch(/core\/newdomain is not in the domain import matrix/);
  });

  it('allows what the matrix allows (checks → tunnel), the same domain, the contract, and test files', async () => {
    const ok = [
      ['src-main/core/checks/planted.ts', "import { parseWgDump } from '../tunnel/wg-dump';\nexport const x = parseWgDump;\n"],
      ['src-main/core/tunnel/planted.ts', "import { parseWgDump } from './wg-dump';\nexport const x = parseWgDump;\n"],
      ['src-main/core/tunnel/planted.ts', "import { tunnelCalls } from '../../contract/tunnel';\nexport const x = tunnelCalls;\n"],
      ['src-main/core/findings/planted.test.ts', "import { parseWgDump } from '../tunnel/wg-dump';\nexport const x = parseWgDump;\n"],
    ];
    for (const [file, code] of ok) expect((await ruleIds(file!, code!)).filter((m) => m.startsWith('longhaul/')), file).toEqual([]);
  });
});

describe('lint: a file that says "Environment: any" is (longhaul/environment-any)', () => {
  const header = '/**\n * A planted file. Environment: any.\n */\n';
  it('refuses Node modules, Node globals, packages and runtime imports of files that are not "any"', async () => {
    const cases: [string, RegExp][] = [
      ["import * as fs from 'node:fs';\nexport const x = fs;\n", /imports node:fs/],
      ["import * as os from 'os';\nexport const x = os;\n", /imports os/],
      ["export const x = Buffer.from('a');\n", /uses the Node global Buffer/],
      ["export const x = process.env.HOME;\n", /uses the Node global process/],
      ["import { createRunner } from '../platform/runner';\nexport const x = createRunner;\n", /imports \.\.\/platform\/runner, which does not/],
      ["import { z } from 'ws';\nexport const x = z;\n", /imports the package ws/],
    ];
    for (const [code, want] of cases) {
      const msgs = await ruleIds('src-main/core/tunnel/planted.ts', header + code);
      expect(msgs.join('\n'), code).toMatch(want);
    }
  });

  it('allows zod, other "any" files, and type-only imports of anything; a file without the claim is not checked', async () => {
    const ok = [
      "import { z } from 'zod';\nexport const x = z;\n",
      "import { parseWgDump } from './wg-dump';\nexport const x = parseWgDump;\n",
      "import type { ProcessRunner } from '../platform/runner';\nexport type X = ProcessRunner;\n",
    ];
    for (const code of ok) expect((await ruleIds('src-main/core/tunnel/planted.ts', header + code)).filter((m) => m.startsWith('longhaul/')), code).toEqual([]);
    const unclaimed = await ruleIds('src-main/core/tunnel/planted.ts', "/** Environment: plain Node. */\nexport const x = Buffer.from('a');\n");
    expect(unclaimed.filter((m) => m.startsWith('longhaul/'))).toEqual([]);
  });
});
