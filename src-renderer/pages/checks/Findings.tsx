import { applyFix } from '../../store/check-actions';
import { lockOf, useApp } from '../../store/app';
import { useChecks } from '../../store/checks';

export function Verdict() {
  const done = useChecks((s) => s.done);
  if (!done) return null;
  const text =
    done.verdict === 'healthy'
      ? `Ready to stream: names resolve and full-size packets cross the tunnel${done.pathMtu ? ` (path MTU ${done.pathMtu})` : ''}.`
      : done.verdict === 'degraded'
        ? 'Usable, with warnings below.'
        : 'Not ready: fix the problem below before streaming.';
  return (
    <div className={`verdict verdict-${done.verdict}`} role="status" aria-label="Verdict">
      <strong>{done.verdict === 'healthy' ? 'Healthy' : done.verdict === 'degraded' ? 'Degraded' : 'Broken'}</strong>
      <span>{text}</span>
      <span className="muted">
        {done.rttMs !== null ? `RTT ${done.rttMs < 1 ? '<1' : Math.round(done.rttMs)} ms · ` : ''}checked in {(done.durationMs / 1000).toFixed(1)} s{done.cancelled ? ' (cancelled)' : ''}
      </span>
    </div>
  );
}

export function Findings() {
  const done = useChecks((s) => s.done);
  const fixing = useChecks((s) => s.fixing);
  const policy = useApp((s) => s.policy);
  if (!done || !done.findings.length) return null;
  const mtuLock = lockOf(policy, 'mtuOverrideLocked');
  const mtuLocked = policy?.values.find((v) => v.key === 'mtuOverrideLocked')?.value === true;
  return (
    <ul className="findings" aria-label="Findings">
      {done.findings.map((f) => (
        <li key={f.code} className={`finding finding-${f.severity}`} data-code={f.code}>
          <div className="row spread">
            <strong>{f.title}</strong>
            <span className="mono muted">{f.code}</span>
          </div>
          <p>{f.detail}</p>
          <p>
            <strong>Fix: </strong>
            {f.fix}
          </p>
          {f.code === 'mtu.blackhole' && done.fixable.includes(f.code) ? (
            <button className="primary" disabled={fixing || mtuLocked} title={mtuLocked ? mtuLock.why : undefined} onClick={() => void applyFix('mtu.blackhole')}>
              {fixing ? 'Applying…' : `Apply fix: set MTU ${String(f.evidence.pathMtu ?? '')} and reconnect`}
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
