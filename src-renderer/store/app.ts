/**
 * The renderer's state (zustand). Only `store/events.ts` writes contract-driven state; components select and call.
 */
import { create } from 'zustand';
import type { CallResponse, PolicyView } from '../../src-main/contract';

export const PAGES = [
  { id: 'home', label: 'Home' },
  { id: 'connect', label: 'Connect' },
  { id: 'checks', label: 'Checks' },
  { id: 'stream', label: 'Stream' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'settings', label: 'Settings' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export interface AppState {
  page: PageId;
  theme: ThemeChoice;
  info: CallResponse<'app.info'> | null;
  /** `connecting` until the first successful call to main; `lost` when the host went away. */
  link: 'connecting' | 'up' | 'lost';
  policy: PolicyView | null;
  notices: Notice[];
  setPage(page: PageId): void;
  setTheme(theme: ThemeChoice): void;
  dismissNotice(id: number): void;
}

function initialTheme(): ThemeChoice {
  const saved = localStorage.getItem('longhaul.theme');
  return saved === 'light' || saved === 'dark' || saved === 'system' ? saved : 'system';
}

export function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '').split(/[?&/]/)[0];
  return (PAGES.find((p) => p.id === id)?.id ?? 'home') as PageId;
}

export const useApp = create<AppState>()((set) => ({
  page: pageFromHash(location.hash),
  theme: initialTheme(),
  info: null,
  link: 'connecting',
  policy: null,
  notices: [],
  setPage(page) {
    if (location.hash !== `#/${page}`) history.replaceState(null, '', `#/${page}`);
    set({ page });
  },
  setTheme(theme) {
    localStorage.setItem('longhaul.theme', theme);
    set({ theme });
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
}));

/** Whether a policy key is fixed by IT (the control is locked, with a tooltip naming the source). */
export function lockOf(policy: PolicyView | null, key: string): { locked: boolean; why: string } {
  const v = policy?.values.find((x) => x.key === key);
  if (!v?.locked) return { locked: false, why: '' };
  const by = policy?.managedByName ? `${policy.managedByName}` : 'your organisation';
  return { locked: true, why: `Set by ${by} (managed policy: ${v.source})` };
}
