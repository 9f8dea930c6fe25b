import { useEffect, useState } from 'react';
import { PageHeader, Section } from '../components/Page';
import { ProfileSelect } from '../components/ProfileSelect';
import { cancelChecks, loadLastRun, runChecks, summaryText } from '../store/check-actions';
import { useChecks } from '../store/checks';
import { useProfiles } from '../store/profiles';
import { Checklist } from './checks/Checklist';
import { Findings, Verdict } from './checks/Findings';

export function ChecksPage() {
  const profiles = useProfiles((s) => s.profiles);
  const selected = useProfiles((s) => s.selected);
  const runProfile = useChecks((s) => s.profile);
  const [profile, setProfile] = useState<string>(runProfile ?? selected ?? profiles[0]?.name ?? '');
  const running = useChecks((s) => s.runId !== null && s.done === null);
  const done = useChecks((s) => s.done);
  const error = useChecks((s) => s.error);
  const [copied, setCopied] = useState('');

  useEffect(() => {
    if (!profile && profiles[0]) setProfile(profiles[0].name);
  }, [profile, profiles]);
  useEffect(() => {
    if (profile) void loadLastRun(profile);
  }, [profile]);

  const copy = async () => {
    if (!done) return;
    try {
      await navigator.clipboard.writeText(summaryText(done));
      setCopied('Summary copied');
    } catch {
      setCopied('Could not use the clipboard');
    }
  };

  return (
    <>
      <PageHeader title="Checks">Proves the tunnel resolves names and carries large packets before you stream.</PageHeader>
      <Section title="Run the checks">
        {profiles.length ? (
          <div className="row">
            <ProfileSelect profiles={profiles} value={profile} onChange={setProfile} disabled={running} />
            {running ? (
              <button onClick={() => void cancelChecks()}>Cancel</button>
            ) : (
              <button className="primary" onClick={() => void runChecks(profile)} disabled={!profile}>
                {done ? 'Run again' : 'Run checks'}
              </button>
            )}
            {done ? <button onClick={() => void copy()}>Copy summary</button> : null}
            {copied ? <span role="status" className="muted">{copied}</span> : null}
          </div>
        ) : (
          <p className="muted">Import a profile on the Connect page first.</p>
        )}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <Verdict />
        <Findings />
        <Checklist />
      </Section>
    </>
  );
}
