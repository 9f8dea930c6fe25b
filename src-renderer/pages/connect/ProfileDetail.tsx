import { useState } from 'react';
import { removeProfile } from '../../store/profile-actions';
import { useProfiles } from '../../store/profiles';

export function ProfileDetail() {
  const selected = useProfiles((s) => s.selected);
  const profile = useProfiles((s) => s.profiles.find((p) => p.name === s.selected) ?? null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!selected || !profile) return null;
  return (
    <section className="card" aria-label={`Profile ${profile.name}`}>
      <div className="row spread">
        <h2>{profile.name}</h2>
        {profile.origin === 'user' ? (
          confirming ? (
            <span className="row" role="group" aria-label="Confirm deletion">
              <span>Delete “{profile.name}” and its key from this computer?</span>
              <button
                className="danger"
                onClick={async () => {
                  setError(await removeProfile(profile.name));
                  setConfirming(false);
                }}
              >
                Delete
              </button>
              <button onClick={() => setConfirming(false)}>Cancel</button>
            </span>
          ) : (
            <button onClick={() => setConfirming(true)}>Delete…</button>
          )
        ) : (
          <span className="muted">Provided by your organisation</span>
        )}
      </div>
      {error ? <p className="error">{error}</p> : null}
      <dl className="facts">
        <dt>Gateway</dt>
        <dd className="mono">{profile.endpoint ?? '—'}</dd>
        <dt>Addresses</dt>
        <dd className="mono">{profile.addresses.join(', ')}</dd>
        <dt>DNS</dt>
        <dd className="mono">{[...profile.dns, ...profile.dnsSearch].join(', ') || 'none'}</dd>
        <dt>MTU</dt>
        <dd>
          {profile.mtuOverride ? `${profile.mtuOverride} (set on this computer; profile says ${profile.mtu ?? 'automatic'})` : (profile.mtu ?? 'automatic')}
        </dd>
        <dt>Public key</dt>
        <dd className="mono">{profile.publicKey}</dd>
        <dt>Site</dt>
        <dd>{profile.site ? `${profile.site.name} (${profile.site.streamHosts.length} stream host${profile.site.streamHosts.length === 1 ? '' : 's'})` : 'none'}</dd>
        <dt>Imported</dt>
        <dd>{new Date(profile.importedAt).toLocaleString()} {profile.sourceFileName ? `from ${profile.sourceFileName}` : ''}</dd>
      </dl>
      {profile.peers.map((peer) => (
        <details key={peer.publicKey}>
          <summary>Peer {peer.publicKey.slice(0, 10)}… {peer.endpoint ? `at ${peer.endpoint}` : ''}</summary>
          <p className="mono">Allowed IPs: {peer.allowedIps.join(', ')}</p>
          <p>Keepalive: {peer.persistentKeepalive ? `${peer.persistentKeepalive} s` : 'off'} · Preshared key: {peer.hasPresharedKey ? 'yes' : 'no'}</p>
        </details>
      ))}
      {profile.warnings.length ? (
        <ul className="issues issues-warning" aria-label="Warnings">
          {profile.warnings.map((w, i) => (
            <li key={i}>
              {w.line !== null ? `line ${w.line}: ` : ''}
              {w.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
