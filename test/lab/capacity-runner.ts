/**
 * Runs INSIDE the artist namespace (bundled by capacity.test.ts and scripts/bench-capacity.mjs): the real capacity
 * measurement against the lab gateway's real `iperf3 -s`. argv[2]: the CapacityOptions as JSON. Prints one JSON
 * document: { ok: true, result } or { ok: false, code, message }.
 */
import { isCapacityError, measureCapacity, type CapacityOptions } from '../../src-main/core/capacity';
import { runMain } from '../support/runner-main';

async function main(): Promise<object> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as CapacityOptions;
  try {
    return { ok: true, result: await measureCapacity(opts) };
  } catch (err) {
    if (!isCapacityError(err)) throw err;
    return { ok: false, code: err.code, message: err.message };
  }
}

runMain(main);
