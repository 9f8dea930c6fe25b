/** The Stream page's line: what the tunnel carries (stream-shaped iperf3 test), the bitrate Moonlight gets and why. */
import { mbitText as mbit } from '../../store/journey';
import { measureLine, useStream } from '../../store/stream';

const ICON = { pass: '✓', warn: '!', fail: '✗', skip: '–' } as const;

export function Line() {
  const line = useStream((s) => s.line);
  const hosts = useStream((s) => s.hosts);
  const gate = useStream((s) => s.gate);
  const host = gate?.host ?? hosts[0]?.host ?? null;
  return (
    <section className="card" aria-label="Line">
      <h2>Line</h2>
      {line === 'measuring' ? <p role="status">Measuring the line with a short stream-shaped test…</p> : null}
      {line && line !== 'measuring' ? (
        <div data-testid="line">
          {line.capacity.status === 'measured' ? (
            <p>
              Measured through the tunnel: <strong>{mbit(line.capacity.downKbps)} Mbit/s</strong> clean (loss {line.capacity.lossPercent} %, jitter {line.capacity.jitterMs} ms, delay growth{' '}
              {line.capacity.delayGrowthMs} ms; {line.capacity.steps.length} step{line.capacity.steps.length === 1 ? '' : 's'} in {line.capacity.durationMs} ms, {new Date(line.capacity.measuredAt).toLocaleTimeString()}).
            </p>
          ) : (
            <p className="warn">Not measured: {line.capacity.message}</p>
          )}
          {line.bitrateKbps !== null ? (
            <p data-testid="bitrate">
              Moonlight gets <strong>{mbit(line.bitrateKbps)} Mbit/s</strong>
              {line.capacity.neededKbps !== null && line.bitrateKbps < line.capacity.neededKbps ? ` (these settings need ${mbit(line.capacity.neededKbps)} Mbit/s)` : ''}.
            </p>
          ) : null}
          {line.why ? <p className="muted">{line.why}</p> : null}
          <ul className="gate">
            {line.items.filter((i) => i.status !== 'pass').map((i) => (
              <li key={i.id} className={`check-${i.status}`} data-gate={i.id}>
                <span aria-hidden="true">{ICON[i.status]}</span> {i.summary}
                {i.fix ? <div className="muted">Fix: {i.fix}</div> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <button type="button" disabled={!host || line === 'measuring'} onClick={() => host && void measureLine(host)}>
        Measure the line
      </button>
    </section>
  );
}
