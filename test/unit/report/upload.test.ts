import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHttpsServer, type TestHttpsServer } from './https-server';
import { UPLOAD_MAX_BYTES, uploadBundle, UploadError, uploadUrl } from '../../../src-main/core/report/upload';

let srv: TestHttpsServer;
let base: string;
let ca: string;
let dir: string;
let seen: TestHttpsServer['seen'];

beforeAll(async () => {
  srv = await startTestHttpsServer();
  ({ base, caPem: ca, seen } = srv);
  dir = path.dirname(srv.caFile);
});
afterAll(() => srv.close());

const ID = 'LH-20261127-0123abcd';
const body = new Uint8Array(Buffer.from('PK\u0003\u0004 pretend zip'));

describe('uploadBundle (local HTTPS server, test CA made with openssl)', () => {
  it('PUTs <url>/<supportId>.zip as application/zip and succeeds on 2xx', async () => {
    srv.status.next = 201;
    const n = seen.length;
    const r = await uploadBundle({ baseUrl: base, supportId: ID, body, extraCaPem: ca, env: {} });
    expect(r.status).toBe(201);
    expect(seen.length).toBe(n + 1);
    expect(seen.at(-1)).toEqual({ method: 'PUT', url: `/support/uploads/${ID}.zip`, type: 'application/zip', body: Buffer.from(body) });
  });
  it('takes the extra CA from LONGHAUL_EXTRA_CA_CERTS', async () => {
    srv.status.next = 200;
    const r = await uploadBundle({ baseUrl: base, supportId: ID, body, env: { LONGHAUL_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') } });
    expect(r.status).toBe(200);
  });
  it('without the CA the server is not trusted', async () => {
    await expect(uploadBundle({ baseUrl: base, supportId: ID, body, env: {} })).rejects.toMatchObject({ kind: 'network' });
  });
  it('refuses http:// before connecting', async () => {
    const n = seen.length;
    const httpUrl = base.replace('https:', 'http:');
    await expect(uploadBundle({ baseUrl: httpUrl, supportId: ID, body, extraCaPem: ca, env: {} })).rejects.toMatchObject({ kind: 'not-https' });
    expect(seen.length).toBe(n);
  });
  it('refuses a bundle over 50 MiB before connecting', async () => {
    const n = seen.length;
    const big = new Uint8Array(UPLOAD_MAX_BYTES + 1);
    const err = await uploadBundle({ baseUrl: base, supportId: ID, body: big, extraCaPem: ca, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect((err as UploadError).kind).toBe('too-large');
    expect(seen.length).toBe(n);
  });
  it('a non-2xx answer is a failure naming the status', async () => {
    srv.status.next = 413;
    await expect(uploadBundle({ baseUrl: base, supportId: ID, body, extraCaPem: ca, env: {} })).rejects.toMatchObject({ kind: 'http-status', status: 413 });
    srv.status.next = 201;
  });
  it('builds the URL without doubling slashes and rejects credentials in it', () => {
    expect(uploadUrl('https://support.example/up', ID).toString()).toBe(`https://support.example/up/${ID}.zip`);
    expect(uploadUrl('https://support.example/up///', ID).pathname).toBe(`/up/${ID}.zip`);
    expect(() => uploadUrl('https://u:p@support.example/', ID)).toThrow(/credentials/);
  });
});
