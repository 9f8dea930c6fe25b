import { useHealth } from '../store/health';

/** Live conditions (stale handshake, vanished tunnel, a fix ready) above every page; nothing when all is well. */
export function HealthBanner() {
  const findings = useHealth((s) => s.findings);
  if (!findings.length) return null;
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
