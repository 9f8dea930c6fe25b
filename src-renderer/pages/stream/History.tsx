/** The Stream page's recent sessions: how each went and, open on demand, what the watch saw while it ran. */
import { useEffect } from 'react';
import { loadHistory, useHistory, type SessionRecordView } from '../../store/history';

const OUTCOME: Record<SessionRecordView['outcome'], string> = { running: 'running', ended: 'ended', failed: 'failed', cancelled: 'cancelled' };

function duration(r: SessionRecordView): string {
  if (!r.endedAt) return 'still running';
  const s = Math.max(0, Math.round((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
}

export function History() {
  const sessions = useHistory((s) => s.sessions);
  const error = useHistory((s) => s.error);
  useEffect(() => {
    void loadHistory();
  }, []);
  return (
    <section className="card" aria-label="Recent sessions">
      <h2>Recent sessions</h2>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {sessions && sessions.length === 0 ? <p className="muted">No stream sessions yet.</p> : null}
      {sessions?.length ? (
        <ul className="plain sessions">
          {sessions.map((r) => (
            <li key={r.sessionId} data-session={r.sessionId} className={`session session-${r.outcome}`}>
              <div>
                <strong>{new Date(r.startedAt).toLocaleString()}</strong> · {r.app} on <span className="mono">{r.host}</span> · {duration(r)} · {OUTCOME[r.outcome]}
                {r.droppedFrames > 0 ? ` · ${r.droppedFrames} frames dropped` : ''}
                {r.gateOverridden ? ' · launched past the pre-flight' : ''}
              </div>
              {r.failure ? <p className="error">{r.failure}</p> : null}
              {r.timeline?.length ? (
                <details>
                  <summary>
                    What happened ({r.timeline.length} event{r.timeline.length === 1 ? '' : 's'})
                  </summary>
                  <ol className="timeline" aria-label={`Timeline of the session at ${new Date(r.startedAt).toLocaleTimeString()}`}>
                    {r.timeline.map((e, i) => (
                      <li key={i} data-kind={e.kind} data-cause={e.cause ?? undefined}>
                        <span className="muted">{new Date(e.at).toLocaleTimeString()}</span> {e.text}
                      </li>
                    ))}
                  </ol>
                </details>
              ) : r.watched === false ? (
                <p className="muted">The tunnel was not watched during this session (no gateway to probe on this computer).</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
