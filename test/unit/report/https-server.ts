/** A local HTTPS server on 127.0.0.1 with a throwaway CA made by openssl (through the runner) in a temp dir. */
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunner } from '../../../src-main/core/platform/runner';

export interface SeenRequest {
  method: string;
  url: string;
  type: string | undefined;
  body: Buffer;
}

export interface TestHttpsServer {
  /** `https://127.0.0.1:<port>/support/uploads/` */
  base: string;
  caPem: string;
  caFile: string;
  seen: SeenRequest[];
  status: { next: number };
  close(): Promise<void>;
}

/** A throwaway CA and a server certificate for 127.0.0.1 (openssl through the runner), in a fresh temp dir. */
export interface TestCert {
  dir: string;
  caPem: string;
  caFile: string;
  key: string;
  cert: string;
}

export async function makeTestCert(): Promise<TestCert> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-https-'));
  const runner = createRunner();
  const f = (n: string) => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runner.run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=Longhaul Test CA']);
  await runner.run('openssl', ['req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  await runner.run('openssl', ['x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('srv.pem'), '-days', '1', '-extfile', f('ext.cnf')]);
  return { dir, caPem: fs.readFileSync(f('ca.pem'), 'utf8'), caFile: f('ca.pem'), key: fs.readFileSync(f('srv.key'), 'utf8'), cert: fs.readFileSync(f('srv.pem'), 'utf8') };
}

export async function startTestHttpsServer(): Promise<TestHttpsServer> {
  const c = await makeTestCert();
  const dir = c.dir;
  const seen: SeenRequest[] = [];
  const status = { next: 201 };
  const server = https.createServer({ key: c.key, cert: c.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.statusCode = status.next;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `https://127.0.0.1:${(server.address() as AddressInfo).port}/support/uploads/`,
    caPem: c.caPem,
    caFile: c.caFile,
    seen,
    status,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
