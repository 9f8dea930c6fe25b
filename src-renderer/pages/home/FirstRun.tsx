/** The first run: what Longhaul will do and ask, where IT's profile comes from. Shown until a profile exists. */
import { ImportPanel } from '../connect/ImportPanel';

export const FIRST_RUN_KEY = 'longhaul.firstRun';

export function firstRunDone(): boolean {
  return localStorage.getItem(FIRST_RUN_KEY) === 'done';
}

export function FirstRun({ headingRef }: { headingRef: React.Ref<HTMLHeadingElement> }) {
  return (
    <section className="hero first-run" aria-labelledby="hero-title" data-step="first-run">
      <p className="eyebrow">Welcome</p>
      <h2 id="hero-title" ref={headingRef} tabIndex={-1}>Three steps to the farm</h2>
      <ol className="steps">
        <li>
          <strong>Add the profile from IT.</strong> IT sends you a <span className="mono">.conf</span> file or a{' '}
          <span className="mono">.zip</span> bundle: drop it on this window, paste its text or pick the file. If your
          organisation manages this computer, the profile appears here by itself.
        </li>
        <li>
          <strong>Connect.</strong> Longhaul starts an encrypted WireGuard tunnel to the farm. The first time, your
          computer asks for your password: starting a tunnel changes network settings and needs your permission.
          Longhaul never sees that password.
        </li>
        <li>
          <strong>Stream.</strong> Longhaul checks the tunnel resolves the farm’s names and carries full-size packets,
          then opens the workstation in Moonlight.
        </li>
      </ol>
      <ImportPanel />
    </section>
  );
}

export function FirstRunFinished({ profile, site, onDismiss }: { profile: string; site: string | null; onDismiss: () => void }) {
  return (
    <div className="finished" role="status" aria-label="Set up">
      <span>
        <strong>You are set up.</strong> The profile “{profile}”{site ? ` for ${site}` : ''} is stored on this computer. Connect when you
        are ready.
      </span>
      <button className="quiet" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
