/** The shipped polkit action: one fixed helper binary, admin auth kept for a few minutes by default. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { HELPER_PATH } from '../../../src-main/core/tunnel/helper-client';

interface Annotate {
  '@_key': string;
  '#text': string;
}

describe('resources/linux/studio.longhaul.client.helper.policy', () => {
  const xml = fs.readFileSync(path.join(__dirname, '../../../resources/linux/studio.longhaul.client.helper.policy'), 'utf8');
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
    policyconfig: { action: { '@_id': string; defaults: Record<string, string>; annotate: Annotate[] }[] };
  };
  const actions = doc.policyconfig.action;
  const ann = (a: (typeof actions)[number], key: string) => a.annotate.find((x) => x['@_key'] === `org.freedesktop.policykit.exec.${key}`)?.['#text'];

  it('has one action per helper verb, each bound to the helper the client runs and to its verb (argv1)', () => {
    expect(actions.map((a) => a['@_id'])).toEqual(['studio.longhaul.client.helper.up', 'studio.longhaul.client.helper.down', 'studio.longhaul.client.helper.status']);
    for (const a of actions) {
      expect(ann(a, 'path')).toBe(HELPER_PATH);
      expect(ann(a, 'argv1')).toBe(a['@_id'].split('.').pop());
    }
  });

  it('asks for an administrator to connect or disconnect (kept for the active session); status needs none', () => {
    const [up, down, status] = actions;
    for (const a of [up!, down!]) expect(a.defaults).toEqual({ allow_any: 'auth_admin', allow_inactive: 'auth_admin', allow_active: 'auth_admin_keep' });
    expect(status!.defaults).toEqual({ allow_any: 'auth_admin', allow_inactive: 'yes', allow_active: 'yes' });
  });
});
