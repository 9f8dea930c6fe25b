import { useEffect } from 'react';
import { PageHeader, Section } from '../components/Page';
import { chooseMoonlight, loadStream, resetMoonlight, useStream } from '../store/stream';
import { Gate } from './stream/Gate';
import { History } from './stream/History';
import { Hosts } from './stream/Hosts';
import { Line } from './stream/Line';
import { Pairing } from './stream/Pairing';
import { StreamSettingsForm } from './stream/Settings';

export function StreamPage() {
  const moonlight = useStream((s) => s.moonlight);
  const log = useStream((s) => s.sessionLog);
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
        <div className="row">
          <button type="button" onClick={() => void chooseMoonlight()}>
            Choose Moonlight…
          </button>
          <button type="button" onClick={() => void resetMoonlight()}>
            Find Moonlight automatically
          </button>
        </div>
      </Section>
      <Section title="Hosts">
        <Hosts />
      </Section>
      <Pairing />
      <Gate />
      <Line />
      <Section title="Settings">
        <StreamSettingsForm />
      </Section>
      <History />
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
