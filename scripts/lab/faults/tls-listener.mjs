#!/usr/bin/env node
/**
 * tls-listener: the stream host's TLS port in the lab, like Sunshine's 47984 — it asks for a client certificate and
 * sends a certificate chain large enough to need full-size packets. Not Sunshine: it completes no pairing.
 * Usage: tls-listener.mjs --address A --port P --key FILE --cert CHAINFILE
 * Prints `tls-listener listening A:P` once bound. SIGTERM stops it.
 */
import * as fs from 'node:fs';
import * as tls from 'node:tls';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || !args[i + 1]) {
    process.stderr.write(`tls-listener: missing --${name}\n`);
    process.exit(2);
  }
  return args[i + 1];
};
const address = opt('address');
const port = Number(opt('port'));
const server = tls.createServer({
  key: fs.readFileSync(opt('key')),
  cert: fs.readFileSync(opt('cert')),
  requestCert: true,
  rejectUnauthorized: true,
  minVersion: 'TLSv1.2',
});
server.on('tlsClientError', () => {});
server.on('secureConnection', (s) => s.end());
server.listen(port, address, () => process.stdout.write(`tls-listener listening ${address}:${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
