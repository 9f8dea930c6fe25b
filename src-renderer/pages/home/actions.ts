/** What Home's buttons do: each calls an existing store command (which calls the contract). Environment: browser. */
import { useApp } from '../../store/app';
import { applyFix, runChecks } from '../../store/check-actions';
import type { FixAction, Journey } from '../../store/journey';
import { chooseMoonlight, launch, useStream } from '../../store/stream';
import { connect, disconnect } from '../../store/tunnel';

export async function runFix(action: FixAction, j: Journey): Promise<void> {
  const profile = 'profile' in j ? j.profile : null;
  // A new attempt forgets the blocked launch it answers.
  const forgetPlan = () => useStream.setState({ plan: null, error: null });
  switch (action.kind) {
    case 'apply-fix':
      forgetPlan();
      return applyFix(action.code);
    case 'reconnect':
      if (!profile) return;
      forgetPlan();
      await disconnect(profile);
      return connect(profile);
    case 'connect-anyway':
      if (profile) return connect(profile, true);
      return;
    case 'rerun-checks':
      forgetPlan();
      if (profile) return runChecks(profile);
      return;
    case 'choose-moonlight':
      return chooseMoonlight();
    case 'launch-anyway': {
      const host = useStream.getState().gate?.host;
      if (host) return launch(host, undefined, { override: true });
      return;
    }
    case 'open-page':
      useApp.getState().setPage(action.page);
      return;
  }
}

export function startStream(j: Extract<Journey, { step: 'ready' }>): Promise<void> {
  useStream.setState({ session: null });
  return launch(j.host.host, j.host.app ?? undefined);
}
