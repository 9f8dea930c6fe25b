/**
 * WireGuard profiles: parse/validate like the real tools, serialise canonically, store safely, find route conflicts.
 * Environment: plain Node. The names exported here are a stable API used by the tunnel, IT and UI work.
 */
export type { ParseOptions, ParseResult, ProfileIssue, WgEndpoint, WgHooks, WgInterface, WgPeer, WgProfile } from './types';
export { parseProfile } from './parse';
export { serializeProfile, formatEndpoint } from './serialize';
export { publicKeyOf, isValidKey, checkKey, generatePrivateKey } from './keys';
export { isValidInterfaceName, suggestName, nameProblem, describeNameProblem } from './names';
export { decodeProfileBytes, MAX_PROFILE_BYTES } from './decode';
export { createProfileStore, ProfileStoreError, type ProfileStore } from './store';
export { chooseSecretStore, createFileSecretStore, createSecretToolStore, type SecretStore } from './secrets';
export { checkInput, type BatchInput, type CheckedBatch } from './batch';
export { readBundle, isZip, ZIP_LIMITS } from './bundle';
export { parseSiteFile } from './site';
export { findRouteConflicts, type LocalNetwork, type ConnectedTunnel, type StoredProfileRoutes } from './routes';
export { parsePrefix, prefixesOverlap } from './ip';
