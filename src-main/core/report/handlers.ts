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

export type ReportCreateRequest = Parameters<MainHandlers['report.create']>[0];
export type ReportCreated = Awaited<ReturnType<MainHandlers['report.create']>>;

/**
 * Makes reports for one face (one at a time) and remembers which zip each support ID names, so the renderer never
 * passes a path. Built once (core/app/handlers.ts `createAppServices`): the `report.*` handlers and the tray share it.
 */
export interface ReportMaker {
  create(req: ReportCreateRequest): Promise<ReportCreated>;
  /** The report a support ID names, or a `not-found` failure. */
  known(supportId: string): { path: string; summary: string };
}

export function createReportMaker(core: CoreServices, host: { emit: EventEmitterFn }, selection: Omit<ReportSelection, 'profile' | 'site'> = {}): ReportMaker {
  const made = new Map<string, { path: string; summary: string }>();
  let running: Promise<unknown> | null = null;
  return {
    known(supportId) {
      const r = made.get(supportId);
      if (!r || !fs.existsSync(r.path)) throw new ContractFailure('not-found', `no report ${supportId} on this computer (it was moved or deleted)`);
      return r;
    },
    async create(req) {
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
  };
}

export function createReportHandlers(
  core: CoreServices,
  host: ReportHandlerDeps,
  selection: Omit<ReportSelection, 'profile' | 'site'> = {},
  maker: ReportMaker = createReportMaker(core, host, selection),
): Pick<MainHandlers, ReportCall> {
  const known = (supportId: string) => maker.known(supportId);
  return {
    'report.create': (req) => maker.create(req),
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
