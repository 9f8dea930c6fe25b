/**
 * Child process for crash.test.ts: hammers the store (imports, MTU overrides, removals) forever and reports progress
 * on stdout; the parent SIGKILLs it mid-write. Args: <store dir> <private key> <peer public key>.
 */
import * as path from 'node:path';
import { createFileSecretStore, createProfileStore } from '../../../src-main/core/profiles';

const [dir, priv, pub] = process.argv.slice(2);
const store = createProfileStore(dir, createFileSecretStore(path.join(dir, 'secrets')));
const text = `[Interface]\nPrivateKey = ${priv}\nAddress = 10.8.0.2/32\n\n[Peer]\nPublicKey = ${pub}\nAllowedIPs = 10.8.0.0/24\nEndpoint = 192.0.2.10:51820\n`;

async function loop(): Promise<void> {
  for (let i = 0; ; i++) {
    const name = `p${i % 20}`;
    await store.remove(name);
    await store.import({ fileName: `${name}.conf`, bytes: text });
    await store.setMtuOverride('anchor', 1280 + (i % 100));
    process.stdout.write(`${i}\n`);
  }
}
void loop();
