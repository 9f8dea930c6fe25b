import type { ProfileView } from '../../src-main/contract/profiles';

/** The profile chooser shared by the Connect, Checks and Diagnostics pages. */
export function ProfileSelect({ profiles, value, onChange, disabled }: { profiles: readonly ProfileView[]; value: string; onChange: (name: string) => void; disabled?: boolean }) {
  return (
    <label>
      Profile{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {profiles.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
