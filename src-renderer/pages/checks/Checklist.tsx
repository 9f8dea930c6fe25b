import { useChecks } from '../../store/checks';

const ICON = { pass: '✓', warn: '!', fail: '✗', skip: '–' } as const;
const LABEL = { pass: 'passed', warn: 'warning', fail: 'failed', skip: 'skipped' } as const;

export function Checklist() {
  const items = useChecks((s) => s.items);
  if (!items.length) return null;
  return (
    <ol className="checklist" aria-label="Checklist">
      {items.map((item) => {
        const status = item.result?.status;
        return (
          <li key={item.id} className={`check check-${status ?? item.state}`} data-check={item.id}>
            <span className="check-icon" aria-hidden="true">{status ? ICON[status] : item.state === 'running' ? '…' : '·'}</span>
            <div className="check-body">
              <div className="row spread">
                <strong>{item.title}</strong>
                <span className="muted">
                  {status ? `${LABEL[status]} in ${item.result!.durationMs < 1000 ? `${Math.round(item.result!.durationMs)} ms` : `${(item.result!.durationMs / 1000).toFixed(1)} s`}` : item.state === 'running' ? 'checking…' : 'waiting'}
                </span>
              </div>
              {item.result ? <p className="check-summary">{item.result.summary}</p> : null}
              {item.result && Object.keys(item.result.evidence).length ? (
                <details>
                  <summary>Evidence</summary>
                  <pre className="mono evidence" tabIndex={0} role="region" aria-label={`Evidence: ${item.title}`}>{JSON.stringify(item.result.evidence, null, 2)}</pre>
                </details>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
