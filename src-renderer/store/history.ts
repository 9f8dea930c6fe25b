/** The Stream page's session history: the last sessions main recorded (`stream.history`), each with the watch's
 * timeline (dropped frames and their cause, roams, failures). Re-read when a session ends or fails (events.ts). */
import { create } from 'zustand';
import type { z } from 'zod';
import type { SessionRecordSchema } from '../../src-main/contract/stream';
import { api } from '../api';

export type SessionRecordView = z.infer<typeof SessionRecordSchema>;

export interface HistoryState {
  sessions: SessionRecordView[] | null;
  error: string | null;
}

export const useHistory = create<HistoryState>()(() => ({ sessions: null, error: null }));

/** The sessions shown: the newest few (the report carries up to 100). */
export const HISTORY_SHOWN = 10;

export async function loadHistory(): Promise<void> {
  const r = await api.call('stream.history', { limit: HISTORY_SHOWN });
  useHistory.setState(r.ok ? { sessions: r.value.sessions, error: null } : { error: r.error.message });
}
