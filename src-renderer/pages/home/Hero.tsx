/** Home's hero: one state, one main action, in plain words (the journey from store/journey.ts). */
import { useEffect, useRef, type ReactNode } from 'react';
import { ProfileSelect } from '../../components/ProfileSelect';
import { useApp } from '../../store/app';
import { mbitText, progressText, type Journey, type LineFact } from '../../store/journey';
import { useChecks } from '../../store/checks';
import { useProfiles } from '../../store/profiles';
import { connect, disconnect } from '../../store/tunnel';
import { ImportPanel } from '../connect/ImportPanel';
import { runFix, startStream } from './actions';

type Tone = 'idle' | 'busy' | 'ok' | 'problem';

const TONE: Record<Journey['step'], Tone> = {
  starting: 'busy',
  unreachable: 'problem',
  'no-profile': 'idle',
  disconnected: 'idle',
  connecting: 'busy',
  verifying: 'busy',
  ready: 'ok',
  streaming: 'ok',
  problem: 'problem',
};

const EYEBROW: Record<Journey['step'], string> = {
  starting: 'Starting',
  unreachable: 'Problem',
  'no-profile': 'No profile yet',
  disconnected: 'Not connected',
  connecting: 'Connecting',
  verifying: 'Checking',
  ready: 'Connected',
  streaming: 'Streaming',
  problem: 'Needs your attention',
};

export function heroTitle(j: Journey): string {
  switch (j.step) {
    case 'starting':
      return 'Starting Longhaul…';
    case 'unreachable':
      return 'The Longhaul service does not answer';
    case 'no-profile':
      return 'Add the profile from IT';
    case 'disconnected':
      return j.site ? `Connect to ${j.site}` : `Connect with ${j.profile}`;
    case 'connecting':
      return j.phase === 'handshake' ? 'Waiting for the farm gateway…' : 'Starting the tunnel…';
    case 'verifying':
      return 'Checking the tunnel…';
    case 'ready':
      return 'Ready to stream';
    case 'streaming':
      return `Streaming from ${j.host}`;
    case 'problem':
      return j.title;
  }
}

/** What the live region says: the state and, while checking, the progress. */
export function announcement(j: Journey): string {
  if (j.step === 'verifying') return `${heroTitle(j)} ${progressText(j)}`;
  if (j.step === 'problem') return `Problem: ${j.title}. ${j.fix}`;
  return heroTitle(j);
}

export function Hero({ j, headingRef }: { j: Journey; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const primaryRef = useRef<HTMLButtonElement>(null);
  const prev = useRef(j.step);
  // When the state changes under a keyboard user (their button went away), focus the new main action.
  useEffect(() => {
    if (prev.current === j.step) return;
    const from = prev.current;
    prev.current = j.step;
    // Not on launch: the artist has not done anything yet, and Tab starts at the top as usual.
    if (from === 'starting') return;
    const active = document.activeElement;
    if (!active || active === document.body || active === headingRef.current) (primaryRef.current ?? headingRef.current)?.focus();
  }, [j.step, headingRef]);

  const tone = TONE[j.step];
  return (
    <section className={`hero hero-${tone}`} aria-labelledby="hero-title" data-step={j.step}>
      <p className="eyebrow">
        <span className={`state-dot state-${tone}`} aria-hidden="true" />
        {EYEBROW[j.step]}
        {'profile' in j ? <span className="muted"> · {j.profile}</span> : null}
      </p>
      <h2 id="hero-title" ref={headingRef} tabIndex={-1}>
        {heroTitle(j)}
      </h2>
      <Body j={j} primaryRef={primaryRef} />
    </section>
  );
}

function Body({ j, primaryRef }: { j: Journey; primaryRef: React.RefObject<HTMLButtonElement | null> }) {
  const profiles = useProfiles((s) => s.profiles);
  const select = useProfiles((s) => s.select);
  const setPage = useApp((s) => s.setPage);
  switch (j.step) {
    case 'starting':
      return <p className="hero-text">Reaching the Longhaul core…</p>;
    case 'unreachable':
      return (
        <>
          <p className="hero-text">The window lost its link to the Longhaul core. Restart Longhaul; if that does not help, reinstall it.</p>
          <Actions>
            <button ref={primaryRef} className="primary big" onClick={() => location.reload()}>Try again</button>
          </Actions>
        </>
      );
    case 'no-profile':
      return (
        <>
          <p className="hero-text">IT gives you a .conf file or a .zip bundle. Drop it here, paste it or pick the file.</p>
          <ImportPanel />
        </>
      );
    case 'disconnected':
      return (
        <>
          <p className="hero-text">
            {j.endpoint ? <>Through the gateway <span className="mono">{j.endpoint}</span>. </> : null}
            Your computer may ask for your password: that is the system allowing Longhaul to start the tunnel.
          </p>
          {profiles.length > 1 ? <ProfileSelect profiles={profiles} value={j.profile} onChange={select} /> : null}
          <Actions>
            <button ref={primaryRef} className="primary big" onClick={() => void connect(j.profile)}>Connect</button>
          </Actions>
        </>
      );
    case 'connecting':
      return (
        <p className="hero-text">
          {j.phase === 'handshake'
            ? 'The tunnel is up; waiting for the farm gateway to answer the WireGuard handshake.'
            : 'If your computer asks for your password, enter it: starting a tunnel changes network settings. Longhaul never sees it.'}
        </p>
      );
    case 'verifying':
      return <Verifying j={j} />;
    case 'ready':
      return (
        <>
          <dl className="facts hero-facts">
            {j.site ? (
              <>
                <dt>Site</dt>
                <dd>{j.site}</dd>
              </>
            ) : null}
            <dt>Workstation</dt>
            <dd>
              {j.host.name} <span className="mono muted">{j.host.host}</span>
            </dd>
            <dt>Path MTU</dt>
            <dd data-testid="home-path-mtu">{j.pathMtu !== null ? `${j.pathMtu} bytes` : 'not measured'}</dd>
            {j.rttMs !== null ? (
              <>
                <dt>Round trip</dt>
                <dd>{j.rttMs < 1 ? '<1' : Math.round(j.rttMs)} ms</dd>
              </>
            ) : null}
            {j.line ? <LineFacts line={j.line} /> : null}
            {j.settings ? (
              <>
                <dt>Settings</dt>
                <dd>
                  {j.settings.width} × {j.settings.height} · {j.settings.fps} fps · {j.settings.bitrateKbps ? `${j.settings.bitrateKbps / 1000} Mbps` : 'automatic bitrate'}
                </dd>
              </>
            ) : null}
          </dl>
          {j.warnings.length ? <p className="warn">Works, with a warning: {j.warnings.join('; ')}.</p> : null}
          {j.lastSession ? <p className="muted">{j.lastSession}</p> : null}
          <Actions>
            <button ref={primaryRef} className="primary big" disabled={j.launching} onClick={() => void startStream(j)}>
              {j.launching ? 'Starting the stream…' : 'Start stream'}
            </button>
            <button className="quiet" onClick={() => void disconnect(j.profile)}>Disconnect</button>
          </Actions>
        </>
      );
    case 'streaming':
      return (
        <>
          <p className="hero-text">Moonlight is showing the workstation. Close Moonlight to end the stream.</p>
          <Actions>
            <button className="quiet" onClick={() => void disconnect(j.profile)}>Disconnect</button>
          </Actions>
        </>
      );
    case 'problem':
      return (
        <>
          <p className="hero-text">{j.text}</p>
          <p className="fix">
            <strong>Fix: </strong>
            {j.fix}
          </p>
          <Actions>
            {j.action ? (
              <button ref={primaryRef} className="primary big" onClick={() => void runFix(j.action!, j)}>
                {j.action.label}
              </button>
            ) : null}
            <button className="quiet" onClick={() => setPage('checks')}>Show details</button>
          </Actions>
          <p className="mono muted code">{j.code}</p>
        </>
      );
  }
}

function Verifying({ j }: { j: Extract<Journey, { step: 'verifying' }> }) {
  const items = useChecks((s) => s.items);
  const pct = j.total ? Math.round((100 * j.done) / j.total) : 4;
  return (
    <>
      <div className="progress" role="progressbar" aria-label="Checks progress" aria-valuemin={0} aria-valuemax={j.total || 1} aria-valuenow={j.done} aria-valuetext={progressText(j)}>
        <div className="progress-bar" style={{ width: `${pct}%` }} />
        <span>{progressText(j)}</span>
      </div>
      {items.length ? (
        <ol className="mini-checklist" aria-label="Checks">
          {items.map((i) => (
            <li key={i.id} className={`mini mini-${i.state}`}>
              <span aria-hidden="true">{i.state === 'done' ? '✓' : i.state === 'running' ? '…' : '·'}</span> {i.title}
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}

/** When a measurement was made: the time today, else the date and time. */
function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** The line's row in the hero's facts: the last measurement, or plainly that there is none. */
function LineFacts({ line }: { line: LineFact }) {
  if (line.kind === 'measured') {
    return (
      <>
        <dt>Line</dt>
        <dd data-testid="home-line">
          {mbitText(line.downKbps)} Mbit/s measured <time dateTime={line.measuredAt}>{when(line.measuredAt)}</time>
          {line.elsewhere ? ' on another network (measured again when you start the stream)' : null}
          {line.bitrateKbps !== null ? ` · Moonlight gets ${mbitText(line.bitrateKbps)} Mbit/s` : null}
        </dd>
      </>
    );
  }
  return (
    <>
      <dt>Line capacity</dt>
      <dd data-testid="home-line">
        {line.kind === 'never' ? 'not measured yet' : line.kind === 'unreadable' ? `unknown (${line.text})` : `not measured: ${line.text}`}
      </dd>
    </>
  );
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="hero-actions">{children}</div>;
}
