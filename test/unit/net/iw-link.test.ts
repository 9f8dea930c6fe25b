/**
 * `iw dev <dev> link` → SSID (core/net/iw-link.ts). NOT recordings: there is no Wi-Fi device on the machines these
 * tests were written on and no `iw link` sample in the fact sheets. Each text below is built line by line from iw's
 * printf calls (link.c `link_bss_handler` / `handle_link`, scan.c `print_ie` + `print_ssid`, util.c
 * `print_ssid_escaped`), with invented addresses and names; the parser is marked unverified accordingly.
 */
import { describe, expect, it } from 'vitest';
import { parseIwLinkSsid } from '../../../src-main/core/net/iw-link';

const associated = (ssidField: string, dev = 'wlp2s0') =>
  [
    `Connected to 02:11:22:33:44:55 (on ${dev})`, // link.c: "Connected to %s (on %s)\n"
    `\tSSID: ${ssidField}`, // scan.c print_ie "\t%s:" + print_ssid " " + escaped + "\n"
    '\tfreq: 5180', // link.c "\tfreq: %d\n"
    '\tRX: 1200 bytes (10 packets)', // link.c print_link_sta …
    '\tsignal: -51 dBm',
    '',
  ].join('\n');

describe('parseIwLinkSsid (format from iw source, unverified)', () => {
  it('the SSID of an associated interface, spaces inside kept, escapes kept as printed', () => {
    expect(parseIwLinkSsid(associated('Studio 5G'))).toBe('Studio 5G');
    // print_ssid_escaped: a trailing space and a backslash come out as \x20 and \x5c.
    expect(parseIwLinkSsid(associated('Guest\\x20'))).toBe('Guest\\x20');
    expect(parseIwLinkSsid(associated('caf\\xc3\\xa9'))).toBe('caf\\xc3\\xa9');
  });

  it('the association block counts even when the station query after it failed (stderr, exit non-zero)', () => {
    expect(parseIwLinkSsid('Connected to 02:11:22:33:44:55 (on wlan0)\n\tSSID: Farm Hotel\n\tfreq: 2437\n')).toBe('Farm Hotel');
  });

  it('MLO (newer iw): the MLD address line, then per-link BSSID lines; the SSID still follows', () => {
    expect(parseIwLinkSsid('Connected to 02:aa:bb:cc:dd:ee (on wlan0)\n\tSSID: Home7\n\tLink 0 BSSID 02:aa:bb:cc:dd:01\n\t\tfreq: 5955\n')).toBe('Home7');
  });

  it('null: not connected, only authenticated, an IBSS, no SSID line, an SSID line outside the block, empty', () => {
    expect(parseIwLinkSsid('Not connected.\n')).toBeNull(); // link.c handle_link
    expect(parseIwLinkSsid('Authenticated with 02:11:22:33:44:55 (on wlan0)\n\tSSID: X\n')).toBeNull();
    expect(parseIwLinkSsid('Joined IBSS 02:11:22:33:44:55 (on wlan0)\n\tSSID: X\n\tfreq: 2412\n')).toBeNull();
    expect(parseIwLinkSsid('Connected to 02:11:22:33:44:55 (on wlan0)\n\tfreq: 2412\n')).toBeNull();
    expect(parseIwLinkSsid('Connected to 02:11:22:33:44:55 (on wlan0)\nSSID: X\n')).toBeNull();
    expect(parseIwLinkSsid('')).toBeNull();
  });
});
