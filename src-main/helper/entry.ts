/**
 * Process entry of the argv helper `longhaul-helper` (bundled to dist/helper/longhaul-helper.cjs by
 * scripts/build-node.mjs; the Node single executable wraps the same bundle). Kept apart from main.ts so that importing
 * the helper's code — the tests, the helper service (daemon-main.ts) — never starts it. Environment: plain Node, root.
 */
import { main } from './main';

void main();
