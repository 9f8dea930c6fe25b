/** The Checks page's state: the live checklist of the current run and the last diagnosis per profile. */
import { create } from 'zustand';
import type { ChecksDone } from '../../src-main/contract/checks';
import type { CheckResultView } from '../../src-main/contract/diagnosis';

export interface ChecklistItem {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'done';
  result?: CheckResultView;
}

export interface ChecksState {
  runId: string | null;
  profile: string | null;
  items: ChecklistItem[];
  done: ChecksDone | null;
  error: string | null;
  fixing: boolean;
}

export const useChecks = create<ChecksState>()(() => ({ runId: null, profile: null, items: [], done: null, error: null, fixing: false }));
