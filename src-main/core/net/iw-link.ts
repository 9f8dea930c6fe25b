/**
 * The SSID of the Wi-Fi network an interface is associated with, from `iw dev <dev> link` (Linux, the nl80211 tool;
 * Debian package `iw`). Pure parser. Environment: any.
 *
 * UNVERIFIED against a recording made here: this machine has no Wi-Fi device, and no `iw link` recording is in the
 * fact sheets' samples. The format is taken from iw's source (git.kernel.org/pub/scm/linux/kernel/git/jberg/iw.git):
 * - link.c `link_bss_handler`: for an associated BSS it prints `Connected to <bssid> (on <dev>)`, then the BSS's
 *   information elements with `print_ies(…, PRINT_LINK)`, then `\tfreq: <MHz>`; `Authenticated with …` and
 *   `Joined IBSS …` for other states; `handle_link` prints `Not connected.` when nothing was found. Newer iw (MLO)
 *   prints `Connected to <MLD address> (on <dev>)` once, then `\tLink <n> BSSID <bssid>` lines.
 * - scan.c `ieprinters[0]` = `{ "SSID", print_ssid, …, BIT(PRINT_SCAN) | BIT(PRINT_LINK) }`: the only element printed
 *   in link mode, as `\tSSID: ` + util.c `print_ssid_escaped` (printable bytes as is except `\` and a leading or
 *   trailing space, everything else `\xNN`) + newline. So the text after `SSID: ` to the end of the line is the SSID,
 *   escaped; Longhaul only hashes it, so the escaped form is as good as the raw bytes (and is the same every time).
 * - When the station query that follows fails (e.g. `command failed: Operation not supported (-95)` on stderr, exit
 *   non-zero), the `Connected to` block has already been printed: it still counts.
 * Public bug reports show the same layout (linuxmint/cinnamon#9301, aircrack-ng/rtl8812au#42, sysprog21/vwifi#12).
 */

/** The (escaped) SSID of the associated network, or null: not connected, only authenticated, IBSS, or no SSID line. */
export function parseIwLinkSsid(stdout: string): string | null {
  const lines = stdout.split(/\r?\n/);
  const at = lines.findIndex((l) => /^Connected to [0-9a-f]{2}(:[0-9a-f]{2}){5} \(on [^)]+\)$/i.test(l));
  if (at < 0) return null;
  for (let i = at + 1; i < lines.length && /^\t/.test(lines[i]!); i++) {
    const m = /^\tSSID: (.{1,128})$/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return null;
}
