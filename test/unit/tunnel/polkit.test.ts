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
    policyconfig: { action: { '@_id': string; defaults: Record<string, string>; annotate: Annotate[] } };
  };
  const action = doc.policyconfig.action;

  it('binds the action to the helper the client runs', () => {
    expect(action['@_id']).toBe('studio.longhaul.client.helper');
    const exec = action.annotate.find((a) => a['@_key'] === 'org.freedesktop.policykit.exec.path');
    expect(exec?.['#text']).toBe(HELPER_PATH);
  });

  it('asks for an administrator by default (kept for the active session)', () => {
    expect(action.defaults).toEqual({ allow_any: 'auth_admin', allow_inactive: 'auth_admin', allow_active: 'auth_admin_keep' });
  });
});
