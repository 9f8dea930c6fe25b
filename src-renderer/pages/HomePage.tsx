/**
 * Home: the artist's journey on one screen — no profile → disconnected → connecting → verifying → ready → streaming,
 * or the problem with its fix. The other pages are the details behind it.
 */
import { useEffect, useRef, useState } from 'react';
import { runChecks } from '../store/check-actions';
import { useProfiles } from '../store/profiles';
import { ImportResult } from './connect/ImportResult';
import { loadStream } from '../store/stream';
import { FIRST_RUN_KEY, FirstRun, FirstRunFinished, firstRunDone } from './home/FirstRun';
import { announcement, Hero } from './home/Hero';
import { useJourney } from './home/use-journey';

export function HomePage() {
  const j = useJourney();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const profiles = useProfiles((s) => s.profiles);
  const [firstRun, setFirstRun] = useState(() => !firstRunDone());
  const [finished, setFinished] = useState(false);
  const hostsKey = profiles.map((p) => `${p.name}:${p.site?.streamHosts.length ?? 0}`).join(',');

  useEffect(() => {
    void loadStream();
  }, [hostsKey]);
  // Once a profile exists the first run is over for good; if it was on screen, say so once.
  useEffect(() => {
    if (!profiles.length) return;
    if (!firstRunDone()) localStorage.setItem(FIRST_RUN_KEY, 'done');
    if (firstRun) {
      setFirstRun(false);
      setFinished(true);
    }
  }, [profiles.length, firstRun]);
  // Connected with no checks for this profile yet (e.g. the tunnel was already up at launch): prove it now.
  const needsRun = j.step === 'verifying' && j.needsRun ? j.profile : null;
  useEffect(() => {
    if (needsRun) void runChecks(needsRun);
  }, [needsRun]);

  return (
    <>
      <header className="page-header">
        <h1 className="sr-only">Home</h1>
      </header>
      {finished && 'profile' in j ? <FirstRunFinished profile={j.profile} site={j.site} onDismiss={() => setFinished(false)} /> : null}
      {j.step === 'no-profile' && firstRun ? <FirstRun headingRef={headingRef} /> : <Hero j={j} headingRef={headingRef} />}
      {/* The outcome of an import (drop, paste, pick) whatever state the hero moved on to. */}
      <ImportResult />
      <div className="sr-only" role="status" aria-label="Journey" aria-live="polite" aria-atomic="true" data-testid="journey-announcement">
        {announcement(j)}
      </div>
    </>
  );
}
