/** The Diagnostics page's state and commands. */
import { create } from 'zustand';
import type { ReportCreated } from '../../src-main/contract/report';
import { api } from '../api';

export interface ReportState {
  running: boolean;
  progress: { step: string; done: number; total: number } | null;
  report: ReportCreated | null;
  error: string | null;
  actionMessage: string | null;
}

export const useReport = create<ReportState>()(() => ({ running: false, progress: null, report: null, error: null, actionMessage: null }));

export async function createReport(opts: { strict: boolean; profile?: string }): Promise<void> {
  useReport.setState({ running: true, error: null, report: null, progress: null, actionMessage: null });
  const r = await api.call('report.create', { strict: opts.strict, upload: false, ...(opts.profile ? { profile: opts.profile } : {}) });
  useReport.setState({ running: false, report: r.ok ? r.value : null, error: r.ok ? null : r.error.message });
}

export async function reportAction(kind: 'open' | 'folder' | 'upload' | 'copy'): Promise<void> {
  const report = useReport.getState().report;
  if (!report) return;
  const { supportId } = report;
  let message: string;
  if (kind === 'copy') {
    try {
      await navigator.clipboard.writeText(report.summary);
      message = 'Summary copied to the clipboard.';
    } catch {
      message = 'Could not use the clipboard; select the summary text and copy it.';
    }
  } else if (kind === 'upload') {
    const r = await api.call('report.upload', { supportId });
    message = r.ok ? `Uploaded. Give support this ID: ${supportId}` : `Upload failed: ${r.error.message}`;
    if (r.ok) useReport.setState({ report: { ...report, uploaded: true } });
  } else {
    const r = await api.call(kind === 'open' ? 'report.open' : 'report.showInFolder', { supportId });
    message = r.ok ? (kind === 'open' ? 'Opened the report.' : 'Shown in its folder.') : r.error.message;
  }
  useReport.setState({ actionMessage: message });
}
