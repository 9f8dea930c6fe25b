#!/bin/sh
# Longhaul uninstaller for macOS, for IT (macOS packages have no uninstaller). Run as root:
#   sudo sh "/Library/Application Support/Longhaul/uninstall.sh"
# (the pkg installs it there; the same file is in Longhaul.app/Contents/Resources/helper/ and in the repository as
# resources/mac/uninstall.sh — it is self-contained, so it can also be pasted into a Jamf/Intune script).
# It disconnects the tunnels Longhaul's helper brought up, stops and removes the launchd job, the helper binaries, the
# profile copies the app delivered to the helper (they contain keys), the helper daemon's socket and token, its
# logs, the CLI's /usr/local/bin/longhaul link (when it points into the app), the app, and the package receipt.
# It KEEPS what belongs to IT: the pre-provisioned Sites folder, profiles IT installed in the helper's directory, and
# the managed policy (a configuration profile: remove it with your MDM). Per-user data in ~/Library/Application
# Support/Longhaul is left to the users.
# Exit 0 when everything listed is gone; safe to run twice.
set -u

if [ "$(/usr/bin/id -u)" != 0 ]; then
  echo "longhaul uninstall: run as root (sudo sh $0)" >&2
  exit 1
fi

# --- paths: verbatim copy of pkg-scripts/helper-paths.sh (test/unit/mac-helper.test.ts) ---
LONGHAUL_APP='/Applications/Longhaul.app'
LONGHAUL_BASE='/Library/Application Support/Longhaul'
LONGHAUL_SITES="$LONGHAUL_BASE/Sites"
HELPER_DIR="$LONGHAUL_BASE/helper"
HELPER_BINARIES='longhaul-helper longhaul-helperd'
HELPER_DAEMON="$HELPER_DIR/longhaul-helperd"
HELPER_LABEL='studio.longhaul.client.helper'
HELPER_PLIST="/Library/LaunchDaemons/$HELPER_LABEL.plist"
HELPER_LOG_DIR='/var/log/longhaul'
HELPER_PROFILES_DIR='/var/lib/longhaul/profiles'
HELPER_RUNTIME_DIR='/var/run/longhaul/tunnels'
HELPER_SOCKET='/var/run/studio.longhaul.client.helper.sock'
HELPER_TOKEN='/var/run/studio.longhaul.client.helper.token'
CLI_IN_APP="$LONGHAUL_APP/Contents/Resources/bin/longhaul"
CLI_LINK='/usr/local/bin/longhaul'
# --- end paths ---

# 1. Disconnect every tunnel Longhaul brought up (its runtime markers NAME.json — also policy sites, which have no
#    copy in the profiles folder): the helper (root, no PKEXEC_UID) takes them down; anything else is refused by it.
if [ -x "$HELPER_DIR/longhaul-helper" ] && [ -d "$HELPER_RUNTIME_DIR" ]; then
  for marker in "$HELPER_RUNTIME_DIR"/*.json; do
    [ -f "$marker" ] || continue
    name=$(/usr/bin/basename "$marker" .json)
    [ "$name" = "stale-baselines" ] && continue
    /usr/bin/env -i PATH=/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LC_ALL=C \
      "$HELPER_DIR/longhaul-helper" down "$name" >/dev/null 2>&1 || true
  done
fi

# 2. The launchd job.
/bin/launchctl bootout "system/$HELPER_LABEL" 2>/dev/null || true
/bin/rm -f "$HELPER_PLIST"

# 3. Profile copies the app delivered (NAME.conf with its NAME.owner); IT's own NAME.conf (no .owner) stay.
if [ -d "$HELPER_PROFILES_DIR" ]; then
  for owner in "$HELPER_PROFILES_DIR"/*.owner; do
    [ -f "$owner" ] || continue
    /bin/rm -f "${owner%.owner}.conf" "$owner"
  done
fi

# 4. Helper binaries, the daemon's socket and token, logs.
for bin in $HELPER_BINARIES; do
  /bin/rm -f "$HELPER_DIR/$bin" "$HELPER_DIR/$bin.new"
done
/bin/rm -f "$HELPER_DIR/longhaul-helper.cjs"
/bin/rmdir "$HELPER_DIR" 2>/dev/null || true
/bin/rm -f "$HELPER_SOCKET" "$HELPER_TOKEN"
/bin/rm -rf "$HELPER_LOG_DIR"
/bin/rmdir "$HELPER_PROFILES_DIR" 2>/dev/null || true

# 5. The CLI's link on PATH, only when it is ours (points into the app).
if [ -L "$CLI_LINK" ] && [ "$(/usr/bin/readlink "$CLI_LINK")" = "$CLI_IN_APP" ]; then
  /bin/rm -f "$CLI_LINK"
fi

# 6. The app and the package receipt; this script last. Sites and IT's policy stay.
/bin/rm -rf "$LONGHAUL_APP"
/usr/sbin/pkgutil --forget studio.longhaul.client >/dev/null 2>&1 || true
/bin/rm -f "$LONGHAUL_BASE/uninstall.sh"

echo "Longhaul removed. Kept: $LONGHAUL_SITES and the managed policy (configuration profile)."
exit 0
