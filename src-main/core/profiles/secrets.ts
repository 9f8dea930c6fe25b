/**
 * `SecretStore`: where private and preshared keys live, shared by the app and the CLI. The OS keychain where plain
 * Node can reach it (Linux: `secret-tool` from libsecret, through the runner, secret on stdin), else a 0600 file in a
 * 0700 directory with a visible warning. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessRunner } from '../platform/runner';
import { ensurePrivateDir, removeFileDurable, writeFileAtomic } from '../platform/atomic';

export interface SecretStore {
  readonly kind: 'file' | 'secret-tool';
  /** Shown to the user when the store is weaker than the OS keychain; null when fine. */
  readonly warning: string | null;
  get(id: string): Promise<string | null>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}

const ID = /^[a-zA-Z0-9_=+.-]{1,64}$/;
function checkId(id: string): void {
  if (!ID.test(id) || id === '.' || id === '..') throw new Error(`invalid secret id "${id}"`);
}

export const FILE_STORE_WARNING =
  'Private keys are stored in a file readable only by your user account (no system keychain is available). Anyone with access to your account can read them.';

export function createFileSecretStore(dir: string, opts: { warning?: string | null } = {}): SecretStore {
  const fileOf = (id: string) => path.join(dir, `${id}.secret`);
  return {
    kind: 'file',
    warning: opts.warning === undefined ? FILE_STORE_WARNING : opts.warning,
    async get(id) {
      checkId(id);
      try {
        return fs.readFileSync(fileOf(id), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async set(id, secret) {
      checkId(id);
      ensurePrivateDir(dir);
      writeFileAtomic(fileOf(id), secret, 0o600);
    },
    async delete(id) {
      checkId(id);
      removeFileDurable(fileOf(id));
    },
  };
}

/**
 * libsecret through `secret-tool` (UNVERIFIED here: no Secret Service runs on the dev machine; the command lines follow
 * secret-tool(1): `store --label L attr val` reads the secret from stdin, `lookup` prints it, `clear` removes it).
 */
export function createSecretToolStore(runner: ProcessRunner): SecretStore {
  const attrs = (id: string) => ['service', 'longhaul', 'profile', id];
  return {
    kind: 'secret-tool',
    warning: null,
    async get(id) {
      checkId(id);
      const r = await runner.run('secret-tool', ['lookup', ...attrs(id)], { okCodes: 'any', timeoutMs: 10_000 });
      return r.code === 0 && r.stdout !== '' ? r.stdout : null;
    },
    async set(id, secret) {
      checkId(id);
      await runner.run('secret-tool', ['store', `--label=Longhaul profile ${id}`, ...attrs(id)], { input: secret, timeoutMs: 10_000 });
    },
    async delete(id) {
      checkId(id);
      await runner.run('secret-tool', ['clear', ...attrs(id)], { okCodes: 'any', timeoutMs: 10_000 });
    },
  };
}

/**
 * The keychain when reachable (Linux session bus + secret-tool), else the file store with its warning. With the
 * keychain, reads fall back to the key file (profiles imported earlier, or from a session without a keychain) and
 * deletes clear both, so the app and the CLI always find the same keys.
 */
export function chooseSecretStore(opts: { dir: string; runner: ProcessRunner; env?: Record<string, string | undefined>; platform?: NodeJS.Platform }): SecretStore {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const file = createFileSecretStore(opts.dir);
  if (env.LONGHAUL_SECRET_STORE !== 'file' && platform === 'linux' && env.DBUS_SESSION_BUS_ADDRESS && opts.runner.which('secret-tool')) {
    return withFileFallback(createSecretToolStore(opts.runner), file);
  }
  return file;
}

export function withFileFallback(primary: SecretStore, file: SecretStore): SecretStore {
  return {
    kind: primary.kind,
    warning: primary.warning,
    async get(id) {
      const v = await primary.get(id).catch(() => null);
      return v ?? (await file.get(id));
    },
    set: (id, secret) => primary.set(id, secret),
    async delete(id) {
      await primary.delete(id).catch(() => undefined);
      await file.delete(id);
    },
  };
}
