/**
 * Stream fitness (issue 14, core): measure the stream the tunnel must carry against a stock `iperf3 -s` on the
 * gateway and fit Moonlight's bitrate to it. See docs/capacity.md. Environment: plain Node.
 */
export { measureCapacity, type CapacityOptions, type CapacityResult, type CapacityStep } from './measure';
export { fitBitrate, nextStepKbps, stepLimit, stepPasses, testedKbps, FIT_RULES, type CapacityLimit, type Fit, type StepFigures } from './fit';
export { CapacityError, isCapacityError, type CapacityErrorCode } from './errors';
export { IPERF_DEFAULT_PORT } from './protocol';
export { KNOWN_GOOD_MAX_AGE_MS, measureForStream, targetKbpsFor, type StreamCapacityDeps, type StreamCapacityRequest } from './for-stream';
export { LastCapacityStore, MAX_NETWORKS, MAX_PROFILES } from './last-result';
export { capacityChange, relativeDay, FELL_RATIO, type CapacityFall } from './change';
export { capacityProbeOf, type CapacityProbeTarget } from '../profiles/capacity-probe';
