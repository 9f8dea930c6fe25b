/**
 * A throw-away certificate chain like Sunshine's listener needs in the lab: root CA → intermediate → leaf, RSA 2048,
 * with a padded subject so the server's Certificate message spans several full-size packets (~4–5 KB). Generated with
 * openssl through the shared runner into a private 0700 directory. Environment: plain Node (lab tooling).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensurePrivateDir } from '../../../src-main/core/platform/atomic';
import { createRunner, type ProcessRunner } from '../../../src-main/core/platform/runner';

export interface CertChain {
  dir: string;
  keyFile: string;
  /** Leaf followed by the intermediates (what the server sends). */
  chainFile: string;
  key: string;
  chain: string;
  chainBytes: number;
}

export async function makeCertChain(runner: ProcessRunner = createRunner(), dir?: string): Promise<CertChain> {
  const d = dir ?? mkdtempSync(path.join(os.tmpdir(), 'longhaul-chain-'));
  ensurePrivateDir(d); // mkdtemp's directory is already 0700; a given one is created 0700, an existing one left as is
  const f = (n: string) => path.join(d, n);
  const pad = 'x'.repeat(60);
  const openssl = (args: string[]) => runner.run('openssl', args, { timeoutMs: 60_000 });
  const ext = f('ext.cnf');
  writeFileSync(ext, '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n[leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:sunshine.lab,IP:10.0.0.1\n', { mode: 0o600 });
  const key = (n: string) => openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', f(n)]);
  await Promise.all([key('root.key'), key('int1.key'), key('int2.key'), key('leaf.key')]);
  await openssl(['req', '-x509', '-new', '-key', f('root.key'), '-days', '30', '-subj', `/O=Longhaul Lab/OU=${pad}/CN=Lab Root`, '-out', f('root.pem'), '-addext', 'basicConstraints=critical,CA:TRUE']);
  const sign = async (name: string, issuer: string, cn: string, section: string) => {
    await openssl(['req', '-new', '-key', f(`${name}.key`), '-subj', `/O=Longhaul Lab/OU=${pad}/CN=${cn}`, '-out', f(`${name}.csr`)]);
    await openssl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${issuer}.pem`), '-CAkey', f(`${issuer}.key`), '-CAcreateserial', '-days', '30', '-extfile', ext, '-extensions', section, '-out', f(`${name}.pem`)]);
  };
  await sign('int1', 'root', 'Lab Intermediate 1', 'ca');
  await sign('int2', 'int1', 'Lab Intermediate 2', 'ca');
  await sign('leaf', 'int2', 'sunshine.lab', 'leaf');
  const chain = ['leaf', 'int2', 'int1', 'root'].map((n) => readFileSync(f(`${n}.pem`), 'utf8')).join('');
  writeFileSync(f('chain.pem'), chain, { mode: 0o600 });
  const keyText = readFileSync(f('leaf.key'), 'utf8');
  const der = chain.split('-----END CERTIFICATE-----').filter((s) => s.includes('BEGIN')).map((s) => Buffer.from(s.replace(/-----BEGIN CERTIFICATE-----|\s/g, ''), 'base64').length);
  return { dir: d, keyFile: f('leaf.key'), chainFile: f('chain.pem'), key: keyText, chain, chainBytes: der.reduce((a, b) => a + b, 0) };
}
