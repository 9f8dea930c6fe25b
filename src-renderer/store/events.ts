/**
 * The one module that subscribes to contract events and writes the store (plus the start-up pulls).
 * Domains add their subscriptions here.
 */
import { api, log } from '../api';
import { useApp } from './app';
import { refreshProfiles } from './profile-actions';
import { useChecks } from './checks';
import { useHealth } from './health';
import { loadHistory } from './history';
import { useProfiles } from './profiles';
import { useReport } from './report';
import { useStream } from './stream';
import { applyStatus, refreshTunnels } from './tunnel';

let noticeId = 1;

export async function startEventBridge(): Promise<void> {
  api.on('policy.changed', (policy) => useApp.setState({ policy }));
  api.on('profiles.changed', ({ profiles }) => useProfiles.setState({ profiles, loaded: true }));
  api.on('checks.progress', (p) =>
    useChecks.setState((s) => {
      if (s.runId && p.runId !== s.runId) return s;
      const rest = s.items.filter((i) => i.id !== p.id);
      const item = { id: p.id, title: p.title, state: p.state, result: p.result };
      const at = s.items.findIndex((i) => i.id === p.id);
      return { items: at >= 0 ? s.items.map((i) => (i.id === p.id ? item : i)) : [...rest, item] };
    }),
  );
  api.on('checks.done', (d) =>
    useChecks.setState((s) => (s.runId && d.runId !== s.runId ? s : { done: d, profile: d.profile, items: d.checks.map((c) => ({ id: c.id, title: c.title, state: 'done' as const, result: c })) })),
  );
  api.on('health.changed', ({ findings }) => useHealth.setState({ findings }));
  api.on('report.progress', (progress) => useReport.setState({ progress }));
  api.on('stream.gateProgress', ({ host, item }) =>
    useStream.setState((s) => ({ gate: { host, items: [...(s.gate?.host === host ? s.gate.items.filter((i) => i.id !== item.id) : []), item] } })),
  );
  api.on('stream.session', (e) => {
    // The session is in main's history (a running record at start; at the end, with its timeline).
    if (e.type !== 'warning') void loadHistory();
    useStream.setState((s) => ({
      sessionLog: [...s.sessionLog.slice(-19), `${new Date().toLocaleTimeString()} ${e.text}`],
      session:
        e.type === 'warning'
          ? s.session
          : { id: e.sessionId, host: e.record?.host ?? (s.session?.id === e.sessionId ? s.session.host : ''), state: e.type === 'started' ? 'running' : e.type === 'ended' ? 'ended' : 'failed', text: e.type === 'started' ? null : e.text },
    }));
  });
  api.on('tunnel.status', applyStatus);
  api.on('app.notice', (n) => useApp.setState((s) => ({ notices: [...s.notices.slice(-4), { id: noticeId++, ...n }] })));

  // All at once: Home shows its first real state as soon as profiles and tunnel status are in (one round trip).
  const [info] = await Promise.all([
    api.call('app.info', {}),
    api.call('policy.get', {}).then((policy) => policy.ok && useApp.setState({ policy: policy.value })),
    api.call('health.get', {}).then((health) => health.ok && useHealth.setState({ findings: health.value.findings })),
    refreshProfiles(),
    refreshTunnels(),
  ]);
  if (!info.ok) {
    useApp.setState({ link: 'lost' });
    return;
  }
  useApp.setState({ info: info.value, link: 'up' });
  log('info', 'renderer started', { host: info.value.host });
}
