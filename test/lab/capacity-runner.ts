/**
 * Runs INSIDE the artist namespace (bundled by capacity.test.ts and scripts/bench-capacity.mjs): the real capacity
 * measurement against the lab gateway's real `iperf3 -s`. argv[2]: the CapacityOptions as JSON. Prints one JSON
 * document: { ok: true, result } or { ok: false, code, message }.
 */
import { isCapacityError, measureCapacity, type CapacityOptions } from '../../src-main/core/capacity';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as CapacityOptions;
  try {
    const result = await measureCapacity(opts);
    process.stdout.write(JSON.stringify({ ok: true, result }) + '\n');
  } catch (err) {
    if (!isCapacityError(err)) throw err;
    process.stdout.write(JSON.stringify({ ok: false, code: err.code, message: err.message }) + '\n');
  }
}

void main();
