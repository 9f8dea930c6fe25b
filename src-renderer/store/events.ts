/**
 * The one module that subscribes to contract events and writes the store (plus the start-up pulls).
 * Domains add their subscriptions here.
 */
import { api, log } from '../api';
import { useApp } from './app';
import { refreshProfiles } from './profile-actions';
import { useProfiles } from './profiles';

let noticeId = 1;

export async function startEventBridge(): Promise<void> {
  api.on('policy.changed', (policy) => useApp.setState({ policy }));
  api.on('profiles.changed', ({ profiles }) => useProfiles.setState({ profiles }));
  api.on('app.notice', (n) => useApp.setState((s) => ({ notices: [...s.notices.slice(-4), { id: noticeId++, ...n }] })));

  const info = await api.call('app.info', {});
  if (!info.ok) {
    useApp.setState({ link: 'lost' });
    return;
  }
  useApp.setState({ info: info.value, link: 'up' });
  const policy = await api.call('policy.get', {});
  if (policy.ok) useApp.setState({ policy: policy.value });
  await refreshProfiles();
  log('info', 'renderer started', { host: info.value.host });
}
