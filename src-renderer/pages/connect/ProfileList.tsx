import { useProfiles } from '../../store/profiles';

export function ProfileList() {
  const profiles = useProfiles((s) => s.profiles);
  const selected = useProfiles((s) => s.selected);
  const select = useProfiles((s) => s.select);
  if (!profiles.length) return <p className="muted">No profile yet. Import the .conf or bundle from IT to get started.</p>;
  return (
    <table className="list" aria-label="Profiles">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Gateway</th>
          <th scope="col">Addresses</th>
          <th scope="col">Public key</th>
          <th scope="col">Warnings</th>
        </tr>
      </thead>
      <tbody>
        {profiles.map((p) => (
          <tr key={p.name} className={selected === p.name ? 'selected' : undefined}>
            <td>
              <button className="linklike" aria-pressed={selected === p.name} onClick={() => select(p.name)}>
                {p.name}
              </button>
              {p.origin === 'policy' ? <span className="badge" title="Provided by your organisation">managed</span> : null}
            </td>
            <td className="mono">{p.endpoint ?? '—'}</td>
            <td className="mono">{p.addresses.join(', ')}</td>
            <td className="mono" title={p.publicKey}>{p.publicKey.slice(0, 10)}…</td>
            <td>{p.warnings.length ? <span className="warn">{p.warnings.length}</span> : <span className="muted">none</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
