/** Commands of the Connect page's profile area (components call these; they call the contract). */
import { api } from '../api';
import { fileToBase64, MAX_IMPORT_BYTES } from '../api/files';
import { useApp } from './app';
import { useProfiles } from './profiles';

export async function refreshProfiles(): Promise<void> {
  const r = await api.call('profiles.list', {});
  if (r.ok) useProfiles.setState({ profiles: r.value.profiles, loaded: true, secretStoreWarning: r.value.secretStore.warning });
}

export async function importFiles(files: readonly File[]): Promise<void> {
  // Home shows the outcome in its own hero; any other page hands over to the Connect page's profile list.
  if (useApp.getState().page !== 'home') useApp.getState().setPage('connect');
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      useProfiles.setState({ lastImport: { source: file.name, batch: null, error: `${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; a profile or bundle is never that big.` } });
      continue;
    }
    const base64 = await fileToBase64(file);
    const r = await api.call('profiles.import', { fileName: file.name, base64 });
    useProfiles.setState({ lastImport: { source: file.name, batch: r.ok ? r.value : null, error: r.ok ? null : r.error.message } });
    if (r.ok) selectImported(r.value.entries.find((e) => e.profile)?.profile?.name ?? null);
  }
  await refreshProfiles();
}

/** `stored` runs when main stored it, in the same render as the result: the pasted text (its private key) leaves the
 * page at once, never after the "Stored as" alert shows (a failed import keeps the text to correct it). */
export async function importPasted(text: string, name: string | undefined, stored?: () => void): Promise<void> {
  const fileName = name ? `${name}.conf` : 'pasted.conf';
  const r = await api.call('profiles.import', { fileName, text, ...(name ? { name } : {}) });
  if (r.ok) stored?.();
  useProfiles.setState({ lastImport: { source: 'pasted text', batch: r.ok ? r.value : null, error: r.ok ? null : r.error.message } });
  if (r.ok) selectImported(r.value.entries.find((e) => e.profile)?.profile?.name ?? null);
  await refreshProfiles();
}

export async function removeProfile(name: string): Promise<string | null> {
  const r = await api.call('profiles.remove', { name });
  if (!r.ok) return r.error.message;
  if (useProfiles.getState().selected === name) useProfiles.getState().select(null);
  await refreshProfiles();
  return null;
}

function selectImported(name: string | null): void {
  if (name) useProfiles.getState().select(name);
}
