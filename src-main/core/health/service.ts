/**
 * One health tracker per core (the app's live health), and the handler of `health.*`: `health.get` answers what is
 * visible now, and every settled change goes out as `health.changed` through the face's host (shell IPC, harness
 * WebSocket). Environment: plain Node.
 */
import type { EventEmitterFn, MainHandlers } from '../../contract';
import type { CoreServices } from '../app/services';
import { createHealthTracker, type HealthTracker } from './tracker';

const trackers = new WeakMap<CoreServices, HealthTracker>();

export function healthOf(core: CoreServices): HealthTracker {
  let t = trackers.get(core);
  if (!t) {
    t = createHealthTracker();
    trackers.set(core, t);
  }
  return t;
}

export function createHealthHandlers(core: CoreServices, host: { emit: EventEmitterFn }, tracker: HealthTracker = healthOf(core)): Pick<MainHandlers, 'health.get'> {
  const log = core.logger.child('health');
  tracker.onChange((findings) => {
    log.info('health changed', { codes: findings.map((f) => `${f.code}${f.subject ? `@${f.subject}` : ''}`) });
    host.emit('health.changed', { findings });
  });
  return { 'health.get': () => ({ findings: tracker.current() }) };
}
