import { useState } from 'react';
import { PageHeader, Section } from '../components/Page';
import { ProfileSelect } from '../components/ProfileSelect';
import { useProfiles } from '../store/profiles';
import { createReport, reportAction, useReport } from '../store/report';

const STEP_LABEL: Record<string, string> = {
  profile: 'Reading the profile',
  diagnose: 'Running the checks',
  environment: 'Collecting system facts',
  tunnel: 'Reading the tunnel status',
  site: 'Reading the site file',
  streams: 'Reading stream sessions',
  policy: 'Reading managed policy',
  logs: 'Collecting recent logs',
  anonymize: 'Removing private data',
  write: 'Writing the report',
  upload: 'Uploading',
};

export function DiagnosticsPage() {
  const { running, progress, report, error, actionMessage } = useReport();
  const profiles = useProfiles((s) => s.profiles);
  const selected = useProfiles((s) => s.selected);
  const [strict, setStrict] = useState(false);
  const [profile, setProfile] = useState<string>(selected ?? profiles[0]?.name ?? '');

  return (
    <>
      <PageHeader title="Diagnostics">A redacted report for support that names the cause. You can read it before you share it.</PageHeader>
      <Section title="Report">
        <div className="row">
          {profiles.length ? (
            <ProfileSelect profiles={profiles} value={profile} onChange={setProfile} disabled={running} />
          ) : null}
          <label title="Also hides internal addresses, host names and public keys">
            <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} disabled={running} /> Strict privacy
          </label>
          <button className="primary" disabled={running} onClick={() => void createReport({ strict, profile: profile || undefined })}>
            {running ? 'Running diagnostics…' : 'Run diagnostics'}
          </button>
        </div>
        {running ? (
          <div className="progress" role="progressbar" aria-label="Report progress" aria-valuemin={0} aria-valuemax={progress?.total ?? 1} aria-valuenow={progress?.done ?? 0}>
            <div className="progress-bar" style={{ width: `${progress ? Math.round((100 * progress.done) / progress.total) : 5}%` }} />
            <span>{progress ? STEP_LABEL[progress.step] ?? progress.step : 'Starting…'}</span>
          </div>
        ) : null}
        {error ? <p className="error" role="alert">{error}</p> : null}
      </Section>
      {report ? (
        <Section title="Summary">
          <p>
            Support ID <strong className="mono" data-testid="support-id">{report.supportId}</strong> — give this to support.{' '}
            {report.uploaded ? <span className="ok">Uploaded.</span> : null}
          </p>
          {/* Scrolls when long: focusable so the keyboard can scroll it too (axe scrollable-region-focusable). */}
          <pre className="mono summary" data-testid="report-summary" tabIndex={0} role="region" aria-label="Report summary">{report.summary}</pre>
          <div className="row">
            <button onClick={() => void reportAction('copy')}>Copy summary</button>
            <button onClick={() => void reportAction('open')}>Open report</button>
            <button onClick={() => void reportAction('folder')}>Show in folder</button>
            {report.uploadAvailable && !report.uploaded ? <button onClick={() => void reportAction('upload')}>Upload to support</button> : null}
          </div>
          {report.uploadError ? <p className="warn">{report.uploadError}</p> : null}
          {actionMessage ? <p role="status">{actionMessage}</p> : null}
          <p className="muted">Saved at <span className="mono">{report.path}</span></p>
        </Section>
      ) : null}
    </>
  );
}
