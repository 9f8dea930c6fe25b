import { useEffect, useState } from 'react';
import { ProfileSelect } from '../../components/ProfileSelect';
import { useProfiles } from '../../store/profiles';
import { connect, disconnect, useTunnel } from '../../store/tunnel';

const STATE_TEXT = {
  disconnected: 'Not connected',
  connecting: 'Connecting…',
  handshaking: 'Waiting for the farm gateway…',
  connected: 'Connected',
  error: 'Not connected',
} as const;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function age(sec: number | null): string {
  if (sec === null) return 'never';
  if (sec < 60) return `${sec} s ago`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ago`;
  return `${Math.floor(sec / 3600)} h ago`;
}

/** One big connect/disconnect control with the live status, in plain words. */
export function ConnectControl() {
  const profiles = useProfiles((s) => s.profiles);
  const selected = useProfiles((s) => s.selected);
  const select = useProfiles((s) => s.select);
  const tunnels = useTunnel((s) => s.tunnels);
  const busy = useTunnel((s) => s.busy);
  const connected = Object.values(tunnels).find((t) => t.state === 'connected' || t.state === 'handshaking');
  const [name, setName] = useState<string>(connected?.name ?? selected ?? profiles[0]?.name ?? '');
  useEffect(() => {
    if (!name && profiles[0]) setName(profiles[0].name);
  }, [name, profiles]);
  if (!profiles.length) return null;
  const status = tunnels[name];
  const state = status?.state ?? 'disconnected';
  const up = state === 'connected' || state === 'handshaking' || state === 'connecting';
  return (
    <section className={`card connect connect-${state}`} aria-label="Connection">
      <div className="row spread">
        <ProfileSelect
          profiles={profiles}
          value={name}
          disabled={up || !!busy}
          onChange={(n) => {
            setName(n);
            select(n);
          }}
        />
        <div className={`light light-${state}`} role="status" aria-label="Connection state">
          <span className="dot" aria-hidden="true" />
          {STATE_TEXT[state]}
        </div>
      </div>
      <button
        className={up ? 'big' : 'big primary'}
        disabled={!name || busy === name}
        onClick={() => void (up ? disconnect(name) : connect(name))}
      >
        {busy === name ? (up ? 'Disconnecting…' : 'Connecting…') : up ? 'Disconnect' : 'Connect'}
      </button>
      {status?.message ? (
        <p className={state === 'error' ? 'error' : 'warn'} role="alert">
          {status.message}
        </p>
      ) : null}
      {status?.reason === 'route-conflict' ? (
        <button onClick={() => void connect(name, true)} title="Connects even though your local network uses the same addresses; traffic to them may go the wrong way. This is logged.">
          Connect anyway
        </button>
      ) : null}
      {status && state !== 'disconnected' ? (
        <dl className="facts status-facts">
          <dt>Gateway</dt>
          <dd className="mono">{status.endpoint ?? '—'}</dd>
          <dt>Last handshake</dt>
          <dd data-testid="handshake-age">{age(status.latestHandshakeAgeSec)}</dd>
          <dt>Traffic</dt>
          <dd>
            ↓ {bytes(status.rxBytes)} · ↑ {bytes(status.txBytes)}
          </dd>
          <dt>Interface</dt>
          <dd className="mono">{status.interface}</dd>
        </dl>
      ) : null}
    </section>
  );
}
