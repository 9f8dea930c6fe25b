import { useState } from 'react';
import { addHost, launch, openParsec, probeHost, startPairing, useStream } from '../../store/stream';

const RESULT_TEXT: Record<string, string> = {
  ok: 'Ready',
  unreachable: 'Unreachable',
  'not-listening': 'Streaming service not running',
  'not-sunshine': 'Not a Sunshine host',
  busy: 'Busy (a stream is running)',
};

export function Hosts() {
  const hosts = useStream((s) => s.hosts);
  const probes = useStream((s) => s.probes);
  const launching = useStream((s) => s.launching);
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  return (
    <>
      {hosts.length ? (
        <ul className="hosts" aria-label="Stream hosts">
          {hosts.map((h) => {
            const p = probes[h.host];
            const probe = p && p !== 'probing' ? p : null;
            return (
              <li key={h.host} className="host" aria-label={h.name}>
                <div className="row spread">
                  <div>
                    <strong>{h.name}</strong> <span className="mono muted">{h.host}</span> {h.source === 'site' ? <span className="badge">site</span> : null}
                  </div>
                  <div className="row">
                    {probe?.badges.yuv444 ? <span className="badge badge-strong" title="Full colour (YUV 4:4:4) available">4:4:4</span> : null}
                    {probe?.badges.hdr ? <span className="badge badge-strong" title="10-bit HDR available">HDR</span> : null}
                    {probe?.badges.av1 ? <span className="badge">AV1</span> : null}
                  </div>
                </div>
                <p role="status" className={probe ? (probe.result === 'ok' ? 'ok' : 'error') : 'muted'}>
                  {p === 'probing' ? 'Checking the host…' : probe ? `${RESULT_TEXT[probe.result]} — ${probe.detail}` : 'Not checked yet'}
                </p>
                <div className="row">
                  <button onClick={() => void probeHost(h.host)} disabled={p === 'probing'}>Check host</button>
                  <button onClick={() => void startPairing(h.host)}>Pair…</button>
                  <button className="primary" disabled={launching} onClick={() => void launch(h.host, h.app ?? undefined)}>
                    Launch {h.app ?? 'Desktop'}
                  </button>
                  {h.parsecPeerId ? (
                    <button onClick={() => void openParsec(h.parsecPeerId!)} title="IT also set this workstation up for Parsec: open it there instead of Moonlight">
                      Open in Parsec
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">No hosts yet: they come from your site file, or add one.</p>
      )}
      <form
        className="row"
        aria-label="Add a host"
        onSubmit={(e) => {
          e.preventDefault();
          void addHost(name.trim() || host.trim(), host.trim()).then(() => {
            setName('');
            setHost('');
          });
        }}
      >
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
        </label>
        <label>
          Address <input value={host} onChange={(e) => setHost(e.target.value)} maxLength={253} required />
        </label>
        <button type="submit" disabled={!host.trim()}>Add host</button>
      </form>
    </>
  );
}
