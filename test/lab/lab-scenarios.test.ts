/** Built-in lab scenarios from the registry (root; lab id 2). */
import { afterEach, describe, expect, it } from 'vitest';
import { getScenario, labDown, labExec, labUp, listScenarios, registerScenario, relayStats } from '../../scripts/lab';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/lab-scenarios.test.ts: its root-only tests are skipped (run as root)');

describe('scenario registry', () => {
  it('lists the built-ins and refuses duplicates or bad names', () => {
    expect(listScenarios().map((s) => s.name)).toEqual(expect.arrayContaining(['basic', 'mtu-blackhole', 'udp-blocked', 'wrong-key', 'slow']));
    expect(() => registerScenario({ name: 'basic', summary: 'again' })).toThrow(/twice/);
    expect(() => registerScenario({ name: 'Bad Name', summary: 'x' })).toThrow(/lower-case/);
    expect(() => getScenario('nope')).toThrow(/known: /);
  });
});

describe.skipIf(!isRoot)('scenarios in a real lab', () => {
  afterEach(async () => {
    await labDown(2);
  });

  it('mtu-blackhole: large datagrams vanish silently, small ones pass', async () => {
    const lab = await labUp({ id: 2, scenario: 'mtu-blackhole', artistUp: true });
    expect(lab.scenario).toBe('mtu-blackhole');
    const small = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', '-s', '1000', lab.names.addr.gatewayTunnel]);
    expect(small.stdout).toMatch(/1 received/);
    const big = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', '-M', 'do', '-s', '1392', lab.names.addr.gatewayTunnel], { okCodes: 'any' });
    expect(big.stdout).toMatch(/0 received/);
    const stats = await relayStats(lab);
    expect(stats.droppedOversize).toBeGreaterThan(0);
    expect(stats.largestForwarded).toBeLessThanOrEqual(1400);
  });

  it('udp-blocked: the tunnel comes up but nothing crosses', async () => {
    const lab = await labUp({ id: 2, scenario: 'udp-blocked', artistUp: true });
    const r = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', lab.names.addr.gatewayTunnel], { okCodes: 'any' });
    expect(r.stdout).toMatch(/0 received/);
    expect((await relayStats(lab)).droppedBlocked).toBeGreaterThan(0);
  });
});
