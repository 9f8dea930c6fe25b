import { useHealth } from '../store/health';

/**
 * Live conditions (stale handshake, vanished tunnel, a fix ready) above every page; nothing when all is well. The
 * polite live region around it is always there (a region that appears with its content is often not announced), so
 * a condition that arrives while the artist works elsewhere is read out.
 */
export function HealthBanner() {
  const findings = useHealth((s) => s.findings);
  return <div className="health-live" aria-live="polite" data-testid="health-live">{findings.length ? <HealthList findings={findings} /> : null}</div>;
}

function HealthList({ findings }: { findings: ReturnType<typeof useHealth.getState>['findings'] }) {
  return (
    <ul className="health" aria-label="Live health">
      {findings.map((f) => (
        <li key={`${f.code}@${f.subject ?? ''}`} className={`health-item health-${f.severity}`} data-code={f.code}>
          <strong>{f.title}</strong> <span className="muted">since {new Date(f.since).toLocaleTimeString()}</span>
          <p>{f.detail}</p>
          <p className="muted">{f.fix}</p>
        </li>
      ))}
    </ul>
  );
}
