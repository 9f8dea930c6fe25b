import { lockOf, useApp } from '../../store/app';
import { launch, useStream } from '../../store/stream';

const ICON = { pass: '✓', warn: '!', fail: '✗', skip: '–' } as const;

export function Gate() {
  const gate = useStream((s) => s.gate);
  const plan = useStream((s) => s.plan);
  const launching = useStream((s) => s.launching);
  const error = useStream((s) => s.error);
  const policy = useApp((s) => s.policy);
  const requireGate = policy?.values.find((v) => v.key === 'requireGate')?.value === true;
  const lock = lockOf(policy, 'requireGate');
  if (!gate && !error) return null;
  const items = plan?.gate ?? gate?.items ?? [];
  return (
    <section className="card" aria-label="Pre-flight">
      <h2>Pre-flight{gate ? ` for ${gate.host}` : ''}</h2>
      {launching ? <p role="status">Checking the tunnel before launch…</p> : null}
      <ul className="gate">
        {items.map((i) => (
          <li key={i.id} className={`check-${i.status}`} data-gate={i.id}>
            <span aria-hidden="true">{ICON[i.status]}</span> {i.summary}
            {i.fix && i.status === 'fail' ? <div className="muted">Fix: {i.fix}</div> : null}
          </li>
        ))}
      </ul>
      {plan ? (
        plan.blocked ? (
          <div role="alert">
            <p className="error">Launch blocked: the tunnel is not fit for streaming yet. Fix the item marked ✗ above.</p>
            {requireGate ? (
              <p className="muted" title={lock.why}>{lock.why}: launching anyway is not allowed.</p>
            ) : (
              <button onClick={() => gate && void launch(gate.host, undefined, { override: true })}>Launch anyway (I understand the stream may fail)</button>
            )}
          </div>
        ) : (
          <p className="ok" role="status">
            {plan.sessionId ? 'Moonlight started.' : 'Ready.'} {plan.overridden ? '(launched despite a failed check; this is recorded)' : ''}
          </p>
        )
      ) : null}
      {plan?.maxPacketSize ? (
        <p data-testid="max-packet-size">
          Largest Moonlight packet this tunnel carries: <strong>{plan.maxPacketSize} bytes</strong>
          {plan.packetSize ? ' (passed to Moonlight: local-network mode, with QoS tagging some ISP equipment drops)' : ' (Moonlight picks its own size over a VPN; turn on "Maximum packet size" to use it)'}.
        </p>
      ) : null}
      {plan?.notes.filter((n) => !items.some((i) => i.summary === n)).map((n) => (
        <p key={n} className="muted">{n}</p>
      ))}
      {error ? <p className="error" role="alert">{error}</p> : null}
    </section>
  );
}
