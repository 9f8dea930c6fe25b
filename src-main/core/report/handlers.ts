/**
 * Main-side handlers of the report contract. Environment: plain Node. The shell (or harness) implements
 * `ShellActions`; the handlers remember which zip each support ID names, so the renderer never passes a path.
 */
import * as fs from 'node:fs';
import { ContractFailure, type EventEmitterFn, type MainHandlers } from '../../contract';
import type { CoreServices } from '../app/services';
import { makeReport } from './service';
import { uploadBundle } from './upload';
import { asContract } from '../profiles/resolve';
import { reportSourcesFromCore, resolveReportSelection, type ReportSelection } from './wiring';

/** What the face does with a finished report (Electron: shell.openPath / shell.showItemInFolder). */
export interface ShellActions {
  openPath(p: string): Promise<void> | void;
  showItemInFolder(p: string): void;
}

export interface ReportHandlerDeps extends ShellActions {
  emit: EventEmitterFn;
}

type ReportCall = 'report.create' | 'report.open' | 'report.showInFolder' | 'report.summary' | 'report.upload';

export function createReportHandlers(
  core: CoreServices,
  host: ReportHandlerDeps,
  selection: Omit<ReportSelection, 'profile' | 'site'> = {},
): Pick<MainHandlers, ReportCall> {
  const made = new Map<string, { path: string; summary: string }>();
  let running: Promise<unknown> | null = null;
  const known = (supportId: string) => {
    const r = made.get(supportId);
    if (!r || !fs.existsSync(r.path)) throw new ContractFailure('not-found', `no report ${supportId} on this computer (it was moved or deleted)`);
    return r;
  };
  return {
    'report.create': async (req) => {
      if (running) throw new ContractFailure('conflict', 'a report is already being made');
      const policy = await core.policy.read();
      const uploadUrl = policy.policy.supportUploadUrl;
      // Only stored profiles by name from the renderer (the contract enforces the name shape; paths are the CLI's).
      const sel = { ...selection, profile: req.profile ?? null };
      const resolved = await asContract(() => resolveReportSelection(core, { ...sel, from: 'app' }));
      const job = makeReport({
        sources: reportSourcesFromCore(core, resolved, sel),
        mode: req.strict ? 'strict' : 'normal',
        face: 'app',
        outDir: core.paths.reports,
        uploadTo: req.upload ? uploadUrl : null,
        onProgress: (p) => host.emit('report.progress', p),
      });
      running = job;
      try {
        const r = await job;
        made.set(r.supportId, { path: r.path, summary: r.summary });
        core.logger.info('report: written', { supportId: r.supportId, bytes: r.bytes, uploaded: r.uploaded });
        return {
          supportId: r.supportId,
          path: r.path,
          verdict: r.verdict,
          summary: r.summary,
          uploadAvailable: uploadUrl !== null,
          uploaded: r.uploaded,
          uploadError: req.upload && !uploadUrl ? 'no support upload URL is configured' : r.uploadError,
        };
      } finally {
        running = null;
      }
    },
    'report.open': async (req) => {
      await host.openPath(known(req.supportId).path);
      return null;
    },
    'report.showInFolder': async (req) => {
      host.showItemInFolder(known(req.supportId).path);
      return null;
    },
    'report.summary': async (req) => ({ text: known(req.supportId).summary }),
    'report.upload': async (req) => {
      const r = known(req.supportId);
      const url = (await core.policy.read()).policy.supportUploadUrl;
      if (!url) throw new ContractFailure('unavailable', 'no support upload URL is configured by your IT department');
      try {
        const res = await uploadBundle({ baseUrl: url, supportId: req.supportId, body: fs.readFileSync(r.path) });
        return { uploaded: true as const, url: res.url };
      } catch (err) {
        throw new ContractFailure('unavailable', (err as Error).message);
      }
    },
  };
}
