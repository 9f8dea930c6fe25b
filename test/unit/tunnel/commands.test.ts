/**
 * The command lines each backend runs (wg-quick, NetworkManager, WireGuard for Windows, pkexec → helper). The
 * NetworkManager and Windows ones have no recording here: the lines are asserted, their sources cited in the backends.
 */
import { describe, expect, it } from 'vitest';
import { nmcliCommands } from '../../../src-main/core/tunnel/backends/networkmanager';
import { wgQuickCommands } from '../../../src-main/core/tunnel/backends/wg-quick';
import { windowsCommands } from '../../../src-main/core/tunnel/backends/windows';
import { helperCommand } from '../../../src-main/core/tunnel/helper-client';
import { installInstruction } from '../../../src-main/core/tunnel/install-hints';
import { classifyUpError } from '../../../src-main/core/tunnel/preflight';
import * as fs from 'node:fs';
import * as path from 'node:path';

describe('wg-quick backend commands', () => {
  it('up/down take the canonical file path; status reads wg show <iface> dump', () => {
    expect(wgQuickCommands.up('/root/.config/longhaul/state/tunnels/farm.conf')).toEqual({ program: 'wg-quick', args: ['up', '/root/.config/longhaul/state/tunnels/farm.conf'] });
    expect(wgQuickCommands.down('/x/farm.conf')).toEqual({ program: 'wg-quick', args: ['down', '/x/farm.conf'] });
    expect(wgQuickCommands.dump('farm')).toEqual({ program: 'wg', args: ['show', 'farm', 'dump'] });
  });

  it('maps wg-quick failures to reasons', () => {
    const recorded = fs.readFileSync(path.join(__dirname, '../../fixtures/samples/linux-wg-quick-up-full-tunnel-userspace-stderr.txt'), 'utf8');
    expect(classifyUpError(recorded)).toBe('up-failed'); // a successful run's stderr holds no failure marker
    expect(classifyUpError('wg-quick: `farm\' already exists')).toBe('interface-exists');
    expect(classifyUpError('/usr/bin/wg-quick: line 32: resolvconf: command not found')).toBe('resolvconf-missing');
    expect(classifyUpError('Name or service not known: `gw.example:51820\'')).toBe('endpoint-unresolvable');
    expect(classifyUpError('RTNETLINK answers: Operation not permitted')).toBe('permission-denied');
  });
});

describe('NetworkManager backend commands (UNVERIFIED output; nmcli(1))', () => {
  it('imports the canonical file, disables autoconnect, activates and deletes by id', () => {
    expect(nmcliCommands.running()).toEqual({ program: 'nmcli', args: ['-t', '-f', 'RUNNING', 'general'] });
    expect(nmcliCommands.import('/run/longhaul/tunnels/farm.conf')).toEqual({ program: 'nmcli', args: ['connection', 'import', 'type', 'wireguard', 'file', '/run/longhaul/tunnels/farm.conf'] });
    expect(nmcliCommands.noAutoconnect('farm')).toEqual({ program: 'nmcli', args: ['connection', 'modify', 'id', 'farm', 'connection.autoconnect', 'no'] });
    expect(nmcliCommands.up('farm').args).toEqual(['connection', 'up', 'id', 'farm']);
    expect(nmcliCommands.down('farm').args).toEqual(['connection', 'down', 'id', 'farm']);
    expect(nmcliCommands.delete('farm').args).toEqual(['connection', 'delete', 'id', 'farm']);
  });
});

describe('Windows backend commands (UNVERIFIED output; wireguard-windows main.go)', () => {
  it('installs/uninstalls the tunnel service and reads status with wg.exe', () => {
    expect(windowsCommands.install('C:\\ProgramData\\Longhaul\\tunnels\\farm.conf')).toEqual({
      program: 'C:\\Program Files\\WireGuard\\wireguard.exe',
      args: ['/installtunnelservice', 'C:\\ProgramData\\Longhaul\\tunnels\\farm.conf'],
    });
    expect(windowsCommands.uninstall('farm').args).toEqual(['/uninstalltunnelservice', 'farm']);
    expect(windowsCommands.dump('farm')).toEqual({ program: 'C:\\Program Files\\WireGuard\\wg.exe', args: ['show', 'farm', 'dump'] });
    expect(windowsCommands.serviceName('farm')).toBe('WireGuardTunnel$farm');
  });
});

describe('helper client', () => {
  it('runs pkexec with the fixed helper path and only verb + name', () => {
    expect(helperCommand('up', 'farm')).toEqual({ program: 'pkexec', args: ['/usr/lib/longhaul/longhaul-helper', 'up', 'farm'] });
    expect(helperCommand('status', null)).toEqual({ program: 'pkexec', args: ['/usr/lib/longhaul/longhaul-helper', 'status'] });
  });
});

describe('install instructions', () => {
  it('names the missing tools and the per-OS install command', () => {
    const linux = installInstruction('linux', [{ tool: 'wg-quick', why: 'brings the tunnel up' }, { tool: 'resolvconf', why: 'applies DNS' }]);
    expect(linux).toMatch(/Missing: wg-quick, resolvconf/);
    expect(linux).toMatch(/apt install wireguard-tools/);
    expect(linux).toMatch(/apt install openresolv/);
    expect(installInstruction('darwin', [{ tool: 'wg-quick', why: 'x' }])).toMatch(/brew install wireguard-tools/);
    // Only the official app installed: say why it is not enough, and what to do with it.
    const withApp = installInstruction('darwin', [{ tool: 'wg-quick', why: 'x' }], { officialMacAppInstalled: true });
    expect(withApp).toMatch(/WireGuard app is installed, but it cannot be driven/);
    expect(withApp).toMatch(/brew install wireguard-tools/);
    expect(installInstruction('darwin', [{ tool: 'wg-quick', why: 'x' }])).not.toMatch(/app is installed/);
    expect(installInstruction('win32', [{ tool: 'wireguard.exe', why: 'x' }])).toMatch(/wireguard\.com\/install/);
  });
});
