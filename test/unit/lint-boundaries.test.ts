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
