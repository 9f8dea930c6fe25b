/** The renderer can never make main read a file it names: report.create takes stored profile names only. */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/contract/dispatch';

describe('report.create refuses paths from the renderer', () => {
  it.each(['/home/artist/.ssh/id_ed25519', '../../.aws/credentials', 'C:\\Users\\a\\key', 'farm.conf', 'bundle.zip', 'x'.repeat(16)])('%s', async (profile) => {
    let called = false;
    const r = await dispatch({ 'report.create': () => ((called = true), null as never) }, 'report.create', { profile }, { host: 'harness' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(called).toBe(false);
  });
});
