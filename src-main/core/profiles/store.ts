/**
 * `ProfileStore`: profiles in `<data dir>/profiles/` — one metadata record per profile (`<name>.json`, atomic writes)
 * and its keys in the `SecretStore`. Secrets are written before the record and removed after it, so a crash never
 * leaves a listed profile without its key. An import never overwrites an existing name. Environment: plain Node.
 */
import { quote } from '../log/quote';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProfileBatch, ProfileCheckEntry, ProfileView } from '../../contract/profiles';
import { globalRedactor } from '../log/redact';
import { ensurePrivateDir, removeFileDurable, sweepTempFiles, TEMP_MARKER, writeFileAtomic } from '../platform/atomic';
import { checkInput, type BatchInput, type CheckedBatch } from './batch';
import { publicKeyOf } from './keys';
import { isValidInterfaceName } from './names';
import { noProfileNamed } from './resolve-error';
import type { SecretStore } from './secrets';
import { serializeProfile } from './serialize';
import { joinSecrets, splitSecrets, StoredRecordSchema, type ProfileSecrets, type StoredRecord } from './store-record';
import type { WgProfile } from './types';
import { viewOf } from './view';

export interface ProfileStore {
  readonly dir: string;
  readonly secrets: SecretStore;
  list(): Promise<ProfileView[]>;
  get(name: string): Promise<ProfileView | null>;
  /** Check and (unless `dryRun`) store every valid entry; never overwrites. */
  import(input: BatchInput, opts?: { dryRun?: boolean }): Promise<ProfileBatch>;
  remove(name: string): Promise<boolean>;
  /** The full profile with its keys (for the tunnel backend only). */
  load(name: string): Promise<WgProfile>;
  /** A fresh canonical wg-quick file (with the local MTU override applied) for the tunnel backend. */
  canonicalText(name: string): Promise<string>;
  setMtuOverride(name: string, mtu: number | null): Promise<ProfileView>;
  /**
   * Store (or refresh) a metadata-only record of a policy site whose keys the helper holds (`keyHolder: 'helper'`).
   * Refused when a user profile of that name exists. No secret is stored; `load`/`canonicalText` refuse it.
   */
  putHelperHeld(input: HelperHeldInput): Promise<ProfileView>;
  /** Records of every stored profile (route-overlap checks use the AllowedIPs). */
  records(): Promise<StoredRecord[]>;
  onChanged(listener: () => void): () => void;
}

/** What the helper reports for a policy-provisioned profile (public data only). */
export interface HelperHeldInput {
  name: string;
  allowScripts: boolean;
  sourceFileName: string | null;
  publicKey: string;
  profile: StoredRecord['profile'];
  warnings: StoredRecord['warnings'];
  site: StoredRecord['site'];
}

export function isHelperHeld(r: StoredRecord): boolean {
  return r.keyHolder === 'helper';
}

function helperHeldMessage(name: string): string {
  return `The profile ${quote(name, 32)} was provisioned by IT and its keys are readable only by Longhaul's helper (root); Longhaul connects it through the helper and never sees its keys, so its full text is not available here.`;
}

export class ProfileStoreError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid-input' | 'corrupt' | 'helper-held',
    message: string,
  ) {
    super(message);
    this.name = 'ProfileStoreError';
  }
}

export function createProfileStore(dir: string, secrets: SecretStore, now: () => Date = () => new Date()): ProfileStore {
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const fileOf = (name: string) => path.join(dir, `${name}.json`);

  function readRecord(name: string): StoredRecord | null {
    let text: string;
    try {
      text = fs.readFileSync(fileOf(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const parsed = StoredRecordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new ProfileStoreError('corrupt', `The stored profile ${quote(name, 32)} is damaged (${fileOf(name)}); remove it and import it again.`);
    return parsed.data;
  }

  function names(): string[] {
    let entries: string[];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      return [];
    }
    return entries
      .filter((n) => n.endsWith('.json') && !n.includes(TEMP_MARKER) && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter(isValidInterfaceName)
      .sort((a, b) => a.localeCompare(b));
  }

  function findName(name: string): string | null {
    const lower = name.toLowerCase();
    return names().find((n) => n.toLowerCase() === lower) ?? null;
  }

  /** Managed policy is the source of truth for the profiles it provisioned: a new version of its bundle replaces them. */
  function replacesPolicyProfile(existing: string, input: BatchInput): boolean {
    if (input.origin !== 'policy') return false;
    try {
      return readRecord(existing)?.origin === 'policy';
    } catch {
      return false;
    }
  }

  async function records(): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    for (const n of names()) {
      try {
        const r = readRecord(n);
        if (r) out.push(r);
      } catch {} // a damaged record is reported by get(), not by list()
    }
    return out;
  }

  /** A local MTU fix survives IT re-provisioning the same profile. */
  function previousMtuOverride(name: string): number | null {
    try {
      return readRecord(name)?.mtuOverride ?? null;
    } catch {
      return null;
    }
  }

  async function secretsOf(name: string): Promise<ProfileSecrets> {
    const raw = await secrets.get(name);
    if (!raw) throw new ProfileStoreError('corrupt', `The keys of profile ${quote(name, 32)} are missing from the ${secrets.kind === 'file' ? 'key file' : 'system keychain'}; remove the profile and import it again.`);
    const s = JSON.parse(raw) as ProfileSecrets;
    globalRedactor.addSecret(s.privateKey);
    for (const k of Object.values(s.presharedKeys)) globalRedactor.addSecret(k);
    return s;
  }

  async function store(entry: CheckedBatch['entries'][number], batch: CheckedBatch, input: BatchInput): Promise<ProfileView> {
    const p = entry.parse.profile as WgProfile;
    const { pub, secrets: sec } = splitSecrets(p);
    const rec: StoredRecord = {
      version: 1,
      name: entry.name,
      origin: input.origin ?? 'user',
      allowScripts: input.allowScripts === true,
      importedAt: now().toISOString(),
      sourceFileName: entry.fileName,
      publicKey: publicKeyOf(p.interface.privateKey),
      profile: pub,
      warnings: entry.parse.warnings,
      site: batch.site,
      mtuOverride: previousMtuOverride(entry.name),
    };
    ensurePrivateDir(dir);
    await secrets.set(entry.name, JSON.stringify(sec));
    writeFileAtomic(fileOf(entry.name), JSON.stringify(rec, null, 1) + '\n', 0o600);
    return viewOf(rec);
  }

  return {
    dir,
    secrets,
    async list() {
      sweepTempFiles(dir);
      return (await records()).map(viewOf);
    },
    async get(name) {
      const found = findName(name);
      if (!found) return null;
      const r = readRecord(found);
      return r ? viewOf(r) : null;
    },
    async import(input, opts = {}) {
      const batch = checkInput(input);
      const taken = new Set<string>();
      const entries: ProfileCheckEntry[] = [];
      let stored = 0;
      for (const e of batch.entries) {
        const errors = [...e.parse.errors];
        const lower = e.name.toLowerCase();
        if (!isValidInterfaceName(e.name)) {
          errors.push({ line: null, code: 'name.invalid', message: `${quote(e.name, 32)} is not a valid profile name: use 1–15 characters from letters, digits and _ = + . - (not ending in .conf).` });
        } else if (taken.has(lower)) {
          errors.push({ line: null, code: 'name.duplicate', message: `Another file in this import also becomes ${quote(e.name, 32)}; only the first was kept. Rename one of the files.` });
        } else if (findName(e.name) && !replacesPolicyProfile(findName(e.name)!, input)) {
          errors.push({ line: null, code: 'name.exists', message: `A profile named "${findName(e.name)}" already exists and was not overwritten. Remove it first, or import under another name.` });
        }
        taken.add(lower);
        const blocking = batch.bundleErrors.filter((b) => b.code !== 'zip.duplicate');
        if (errors.length === 0 && blocking.length > 0 && !opts.dryRun) {
          errors.push({ line: null, code: 'bundle.invalid', message: `Not imported because the bundle has errors: ${blocking.map((b) => b.message).join(' ')}` });
        }
        const entry: ProfileCheckEntry = { fileName: e.fileName, name: e.name, nameSuggested: e.nameSuggested, valid: errors.length === 0, errors, warnings: e.parse.warnings };
        if (entry.valid && !opts.dryRun) {
          entry.profile = await store(e, batch, input);
          stored++;
        }
        entries.push(entry);
      }
      if (stored > 0) changed();
      return { entries, bundleErrors: batch.bundleErrors, bundleWarnings: batch.bundleWarnings, site: batch.site };
    },
    async remove(name) {
      const found = findName(name);
      if (!found) return false;
      removeFileDurable(fileOf(found));
      await secrets.delete(found);
      changed();
      return true;
    },
    async load(name) {
      const found = findName(name);
      const r = found ? readRecord(found) : null;
      if (!r) throw new ProfileStoreError('not-found', noProfileNamed(name));
      if (isHelperHeld(r)) throw new ProfileStoreError('helper-held', helperHeldMessage(r.name));
      return joinSecrets(r.profile, await secretsOf(r.name));
    },
    async canonicalText(name) {
      const found = findName(name);
      const r = found ? readRecord(found) : null;
      if (!r) throw new ProfileStoreError('not-found', noProfileNamed(name));
      if (isHelperHeld(r)) throw new ProfileStoreError('helper-held', helperHeldMessage(r.name));
      return serializeProfile(joinSecrets(r.profile, await secretsOf(r.name)), { mtuOverride: r.mtuOverride });
    },
    async setMtuOverride(name, mtu) {
      if (mtu !== null && (!Number.isInteger(mtu) || mtu < 576 || mtu > 65535)) throw new ProfileStoreError('invalid-input', `MTU ${mtu} is out of range (576–65535).`);
      const found = findName(name);
      const r = found ? readRecord(found) : null;
      if (!r) throw new ProfileStoreError('not-found', noProfileNamed(name));
      const next = { ...r, mtuOverride: mtu };
      writeFileAtomic(fileOf(r.name), JSON.stringify(next, null, 1) + '\n', 0o600);
      changed();
      return viewOf(next);
    },
    async putHelperHeld(input) {
      if (!isValidInterfaceName(input.name)) throw new ProfileStoreError('invalid-input', `${quote(input.name, 32)} is not a valid profile name.`);
      const found = findName(input.name);
      const existing = found ? readRecord(found) : null;
      if (existing && existing.origin !== 'policy') {
        throw new ProfileStoreError('invalid-input', `A profile named "${existing.name}" that you imported already exists; the site ${quote(input.name, 32)} provisioned by IT was not stored. Remove or rename yours.`);
      }
      const rec: StoredRecord = {
        version: 1,
        name: input.name,
        origin: 'policy',
        allowScripts: input.allowScripts,
        importedAt: now().toISOString(),
        sourceFileName: input.sourceFileName,
        publicKey: input.publicKey,
        profile: input.profile,
        warnings: input.warnings,
        site: input.site,
        mtuOverride: existing?.mtuOverride ?? null,
        keyHolder: 'helper',
      };
      ensurePrivateDir(dir);
      if (existing && existing.name !== input.name) removeFileDurable(fileOf(existing.name));
      writeFileAtomic(fileOf(input.name), JSON.stringify(rec, null, 1) + '\n', 0o600);
      // A copy of this site imported earlier with its keys (e.g. when the app ran as root) is superseded.
      if (existing && !isHelperHeld(existing)) await secrets.delete(existing.name);
      changed();
      return viewOf(rec);
    },
    records,
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
