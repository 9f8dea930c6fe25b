/**
 * Make a report end to end: collect → anonymise → render → zip → write atomically → (optionally) upload.
 * Shared by the CLI (`longhaul report`) and the contract handlers (`report.create`). Environment: plain Node.
 */
import type { RedactionMode } from './anonymize/anonymizer';
import { bundleFileName, renderBundle, writeAtomic, zipBundle } from './bundle';
import { createReport } from './create';
import type { Report, ReportVerdict } from './model';
import { REPORT_STEPS, type ReportProgress, type ReportSources } from './sources';
import { uploadBundle } from './upload';

export interface MakeReportOptions {
  sources: ReportSources;
  mode: RedactionMode;
  face: string;
  outDir: string;
  /** Upload to this base URL (policy supportUploadUrl) after writing; null = do not upload. */
  uploadTo?: string | null;
  extraCaPem?: string;
  env?: Record<string, string | undefined>;
  secrets?: readonly string[];
  homedir?: string;
  username?: string;
  now?: Date;
  onProgress?: (p: ReportProgress) => void;
  signal?: AbortSignal;
}

export interface MadeReport {
  path: string;
  supportId: string;
  verdict: ReportVerdict;
  uploaded: boolean;
  uploadError: string | null;
  summary: string;
  bytes: number;
  report: Report;
}

export async function makeReport(opts: MakeReportOptions): Promise<MadeReport> {
  const { report } = await createReport(opts);
  const entries = renderBundle(report);
  const zip = zipBundle(entries, new Date(report.createdAt));
  const file = writeAtomic(opts.outDir, bundleFileName(report.supportId), zip);
  const total = REPORT_STEPS.length;
  opts.onProgress?.({ step: 'write', done: total - 1, total });
  let uploaded = false;
  let uploadError: string | null = null;
  if (opts.uploadTo) {
    try {
      await uploadBundle({ baseUrl: opts.uploadTo, supportId: report.supportId, body: zip, extraCaPem: opts.extraCaPem, env: opts.env, signal: opts.signal });
      uploaded = true;
    } catch (err) {
      uploadError = (err as Error).message;
    }
  }
  opts.onProgress?.({ step: 'upload', done: total, total });
  return { path: file, supportId: report.supportId, verdict: report.verdict, uploaded, uploadError, summary: entries['summary.txt'], bytes: zip.byteLength, report };
}
