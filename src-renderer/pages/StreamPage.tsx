import { useEffect, useState } from 'react';
import { PageHeader, Section } from '../components/Page';
import { loadStream, setMoonlightPath, useStream } from '../store/stream';
import { Gate } from './stream/Gate';
import { Hosts } from './stream/Hosts';
import { Pairing } from './stream/Pairing';
import { StreamSettingsForm } from './stream/Settings';

export function StreamPage() {
  const moonlight = useStream((s) => s.moonlight);
  const log = useStream((s) => s.sessionLog);
  const [path, setPath] = useState('');
  useEffect(() => {
    void loadStream();
  }, []);
  return (
    <>
      <PageHeader title="Stream">Open the farm workstation in Moonlight, with settings that fit the tunnel.</PageHeader>
      <Section title="Moonlight">
        {moonlight?.found ? (
          <p>
            Moonlight {moonlight.version ?? ''} <span className="muted mono">{moonlight.executable}</span>
          </p>
        ) : (
          <p className="warn">{moonlight?.hint ?? 'Looking for Moonlight…'}</p>
        )}
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void setMoonlightPath(path.trim() || null);
          }}
        >
          <label>
            Use this Moonlight <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/moonlight" className="mono" />
          </label>
          <button type="submit">Set</button>
        </form>
      </Section>
      <Section title="Hosts">
        <Hosts />
      </Section>
      <Pairing />
      <Gate />
      <Section title="Settings">
        <StreamSettingsForm />
      </Section>
      {log.length ? (
        <Section title="Session">
          <ul className="plain" aria-label="Session events">
            {log.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
