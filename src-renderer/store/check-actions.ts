/** Commands of the Checks page. */
import { api } from '../api';
import type { ChecksDone } from '../../src-main/contract/checks';
import { useChecks } from './checks';

export async function runChecks(profile: string): Promise<void> {
  useChecks.setState({ error: null, done: null, profile, items: [], runId: null });
  const r = await api.call('checks.run', { profile });
  if (!r.ok) {
    useChecks.setState({ error: r.error.message });
    return;
  }
  useChecks.setState((s) => ({
    runId: r.value.runId,
    // Progress events may already have arrived for this run: keep them.
    items: r.value.checks.map((c) => s.items.find((i) => i.id === c.id) ?? { id: c.id, title: c.title, state: 'pending' as const }),
  }));
}

export async function cancelChecks(): Promise<void> {
  const runId = useChecks.getState().runId;
  if (runId) await api.call('checks.cancel', { runId });
}

export async function loadLastRun(profile: string): Promise<void> {
  const r = await api.call('checks.last', { profile });
  if (r.ok && r.value && !useChecks.getState().runId) useChecks.setState({ done: r.value, profile, items: r.value.checks.map((c) => ({ id: c.id, title: c.title, state: 'done', result: c })) });
}

export async function applyFix(code: 'mtu.blackhole'): Promise<void> {
  const done = useChecks.getState().done;
  if (!done) return;
  useChecks.setState({ fixing: true, error: null });
  const r = await api.call('checks.applyFix', { runId: done.runId, code });
  useChecks.setState({ fixing: false });
  if (!r.ok) {
    useChecks.setState({ error: r.error.message });
    return;
  }
  if (r.value.newRunId) useChecks.setState({ runId: r.value.newRunId, done: null, items: done.checks.map((c) => ({ id: c.id, title: c.title, state: 'pending' })) });
}

/** The one-page text "Copy summary" puts on the clipboard. */
export function summaryText(done: ChecksDone): string {
  const lines = [
    `Longhaul checks for ${done.profile}: ${done.verdict.toUpperCase()}`,
    `path MTU: ${done.pathMtu ?? 'unknown'}  RTT: ${done.rttMs !== null ? `${Math.round(done.rttMs)} ms` : 'unknown'}  took ${(done.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (!done.findings.length) lines.push('No problems found.');
  for (const f of done.findings) lines.push(`[${f.severity}] ${f.code}: ${f.title}`, `  ${f.detail}`, `  Fix: ${f.fix}`, '');
  lines.push('', 'Checks:');
  for (const c of done.checks) lines.push(`  ${c.status.padEnd(4)} ${c.title}: ${c.summary}`);
  return lines.join('\n');
}
