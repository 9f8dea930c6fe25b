#!/usr/bin/env node
/**
 * A loopback forwarder across network namespaces, through a Unix socket (Unix sockets live in the filesystem, which
 * namespaces share). Used by `npm run demo` so a browser on the host reaches the harness host running inside the
 * lab's artist namespace, on the same port number, so the page's origin is the one the harness expects.
 *   inside the namespace:  forward.mjs unix-to-tcp SOCKET PORT   (SOCKET → 127.0.0.1:PORT)
 *   on the host:           forward.mjs tcp-to-unix PORT SOCKET   (127.0.0.1:PORT → SOCKET)
 * Loopback only; stops on SIGTERM/SIGINT.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';

const [mode, a, b] = process.argv.slice(2);
const pipe = (from) => (to) => {
  from.pipe(to).pipe(from);
  const end = () => {
    from.destroy();
    to.destroy();
  };
  from.on('error', end);
  to.on('error', end);
};

let server;
if (mode === 'unix-to-tcp') {
  fs.rmSync(a, { force: true });
  server = net.createServer((c) => pipe(c)(net.connect({ host: '127.0.0.1', port: Number(b) })));
  server.listen(a, () => fs.chmodSync(a, 0o600));
} else if (mode === 'tcp-to-unix') {
  server = net.createServer((c) => pipe(c)(net.connect(b)));
  server.listen(Number(a), '127.0.0.1');
} else {
  process.stderr.write('usage: forward.mjs unix-to-tcp SOCKET PORT | tcp-to-unix PORT SOCKET\n');
  process.exit(2);
}
server.on('listening', () => process.stdout.write('forwarding\n'));
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
