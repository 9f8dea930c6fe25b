/** Profiles as the renderer sees them (public views only: no private key ever reaches the renderer). */
import { create } from 'zustand';
import type { ProfileBatch, ProfileView } from '../../src-main/contract/profiles';

export interface ProfilesState {
  profiles: ProfileView[];
  /** False until the first list arrived from main (Home waits for it instead of flashing "no profile"). */
  loaded: boolean;
  secretStoreWarning: string | null;
  selected: string | null;
  /** The outcome of the last import attempt, shown until dismissed. */
  lastImport: { source: string; batch: ProfileBatch | null; error: string | null } | null;
  select(name: string | null): void;
}

export const useProfiles = create<ProfilesState>()((set) => ({
  profiles: [],
  loaded: false,
  secretStoreWarning: null,
  selected: null,
  lastImport: null,
  select(name) {
    set({ selected: name });
  },
}));
