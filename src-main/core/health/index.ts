/** Live health: the tracker, what feeds it, and its contract handler. Environment: plain Node. */
export { createHealthTracker, systemClock, type HealthClock, type HealthTracker, type HealthTrackerOptions } from './tracker';
export { observeChecksDone, observeEvent, observeTunnelStatus, withHealthFeed } from './feed';
export { createHealthHandlers, healthOf } from './service';
