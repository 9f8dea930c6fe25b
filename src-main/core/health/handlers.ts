/**
 * The handler of `health.*`: `health.get` answers what the tracker shows now, and every settled change goes out as
 * `health.changed` through the face's host (shell IPC, harness WebSocket). Environment: plain Node.
 */
import type { EventEmitterFn, MainHandlers } from '../../contract';
import type { Logger } from '../log/logger';
import type { HealthTracker } from './tracker';

export function createHealthHandlers(tracker: HealthTracker, host: { emit: EventEmitterFn }, log?: Logger): Pick<MainHandlers, 'health.get'> {
  tracker.onChange((findings) => {
    log?.info('health changed', { codes: findings.map((f) => `${f.code}${f.subject ? `@${f.subject}` : ''}`) });
    host.emit('health.changed', { findings });
  });
  return { 'health.get': () => ({ findings: tracker.current() }) };
}
