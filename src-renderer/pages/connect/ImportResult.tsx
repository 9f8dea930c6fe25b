import type { ProfileIssueView } from '../../../src-main/contract/profiles';
import { useProfiles } from '../../store/profiles';

function Issues({ file, issues, kind }: { file: string; issues: ProfileIssueView[]; kind: 'error' | 'warning' }) {
  if (!issues.length) return null;
  return (
    <ul className={kind === 'error' ? 'issues issues-error' : 'issues issues-warning'}>
      {issues.map((i, n) => (
        <li key={n}>
          <span className="mono">{file}{i.line !== null ? `, line ${i.line}` : ''}</span>: {i.message} <span className="muted mono">[{i.code}]</span>
        </li>
      ))}
    </ul>
  );
}

/** What the last import did: stored profiles, line-numbered errors with fixes, warnings. */
export function ImportResult() {
  const last = useProfiles((s) => s.lastImport);
  if (!last) return null;
  const dismiss = () => useProfiles.setState({ lastImport: null });
  const { batch } = last;
  const failed = !!last.error || !batch || batch.bundleErrors.length > 0 || batch.entries.some((e) => !e.valid);
  return (
    <div className={failed ? 'result result-error' : 'result result-ok'} role="alert" aria-label="Import result">
      <div className="row spread">
        <strong>{failed ? `Could not import everything from ${last.source}` : `Imported from ${last.source}`}</strong>
        <button onClick={dismiss} aria-label="Dismiss import result">×</button>
      </div>
      {last.error ? <p className="error">{last.error}</p> : null}
      {batch ? (
        <>
          <Issues file={last.source} issues={batch.bundleErrors} kind="error" />
          <Issues file={last.source} issues={batch.bundleWarnings} kind="warning" />
          {batch.entries.map((e) => (
            <div key={e.fileName} className="entry">
              <p>
                {e.valid && e.profile ? (
                  <span className="ok">✓ Stored as “{e.profile.name}”</span>
                ) : (
                  <span className="error">✗ {e.fileName} was not imported</span>
                )}
                {e.nameSuggested ? <span className="muted"> — the file name is not a valid tunnel name, so Longhaul suggests “{e.name}”.</span> : null}
              </p>
              <Issues file={e.fileName} issues={e.errors} kind="error" />
              <Issues file={e.fileName} issues={e.warnings} kind="warning" />
            </div>
          ))}
        </>
      ) : null}
    </div>
  );
}
