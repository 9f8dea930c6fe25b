import { useState } from 'react';
import { api } from '../api';
import { PageHeader, Section } from '../components/Page';
import { useApp, type ThemeChoice } from '../store/app';

export function SettingsPage() {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const info = useApp((s) => s.info);
  const policy = useApp((s) => s.policy);
  const [ping, setPing] = useState<string>('');

  const testLink = async () => {
    const nonce = Math.random().toString(36).slice(2);
    const started = performance.now();
    const r = await api.call('app.ping', { nonce });
    setPing(
      r.ok && r.value.nonce === nonce
        ? `Core answered from ${r.value.host} at ${r.value.receivedAt} (${Math.round(performance.now() - started)} ms)`
        : `No answer: ${r.ok ? 'wrong nonce' : r.error.message}`,
    );
  };

  return (
    <>
      <PageHeader title="Settings" />
      <Section title="Appearance">
        <fieldset className="choices">
          <legend>Theme</legend>
          {(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => (
            <label key={t}>
              <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} />
              {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
      </Section>
      <Section title="About">
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="app-version">{info?.version ?? '…'}</dd>
          <dt>Running in</dt>
          <dd>{info ? (info.host === 'electron' ? 'Desktop app' : 'Browser harness (development)') : '…'}</dd>
          <dt>Data folder</dt>
          <dd className="mono">{info?.dataDir ?? '…'}</dd>
        </dl>
        <button onClick={() => void testLink()}>Test link to the Longhaul core</button>
        {ping ? <p role="status" data-testid="ping-result">{ping}</p> : null}
      </Section>
      <Section title="Managed policy">
        {policy && policy.values.some((v) => v.locked) ? (
          <ul className="plain">
            {policy.values.filter((v) => v.locked).map((v) => (
              <li key={v.key}>
                <span className="mono">{v.key}</span> = <span className="mono">{JSON.stringify(v.value)}</span> <span className="muted">({v.source})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No managed policy on this computer; defaults apply.</p>
        )}
        {policy?.refused.map((r) => (
          <p key={r.source} className="warn">Ignored {r.source}: {r.reason}</p>
        ))}
      </Section>
    </>
  );
}
