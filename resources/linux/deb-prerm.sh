#!/bin/bash
# Longhaul deb prerm (electron-builder `deb.fpm: --before-remove`; fpm installs it as the package's prerm). It runs
# while the package's files are still in place, so the helper can take Longhaul's own tunnels down before it goes:
#   - every tunnel Longhaul brought up (a marker in the helper's runtime directory) is taken down through the helper,
#     which applies its usual rules (only Longhaul's tunnels; nothing else is touched);
#   - the CLI goes off PATH (/usr/bin/longhaul: resources/linux/cli-link.sh remove);
#   - the profiles artists delivered to the helper (NAME.conf with a NAME.owner record: their private keys) are
#     removed; IT's own files there (no .owner record), /etc/longhaul (policy, sites) and the logs stay.
# On upgrade nothing is done: the new version's postinst reinstalls the helper and the tunnels stay up.
# No templates (fpm copies this file as is); shell variables are plain $NAME.
set -u

case "${1:-remove}" in
  upgrade|failed-upgrade|deconfigure) exit 0 ;;
esac

HELPER=/usr/lib/longhaul/longhaul-helper
RUNTIME=/run/longhaul/tunnels
PROFILES=/var/lib/longhaul/profiles

if [ -x "$HELPER" ] && [ -d "$RUNTIME" ]; then
  for marker in "$RUNTIME"/*.json; do
    [ -f "$marker" ] || continue
    name=$(basename "$marker" .json)
    # Not a tunnel marker (the stale-tracking baselines share the directory); other names are checked by the helper.
    [ "$name" = "stale-baselines" ] && continue
    if ! "$HELPER" down "$name" </dev/null >/dev/null 2>&1; then
      echo "longhaul: could not take the tunnel $name down; remove it with 'wg-quick down $RUNTIME/$name.conf'" >&2
    fi
  done
fi

# The CLI off PATH (/usr/bin/longhaul and its update-alternatives entry), while cli-link.sh is still installed.
# /opt/Longhaul is the postinst's APP_DIR for productName Longhaul (test/unit/builder-config.test.ts).
APP_RES=/opt/Longhaul/resources
if [ -f "$APP_RES/bin/cli-link.sh" ]; then
  sh "$APP_RES/bin/cli-link.sh" remove "$APP_RES" || echo "longhaul: could not remove /usr/bin/longhaul" >&2
fi

if [ -d "$PROFILES" ]; then
  for owner in "$PROFILES"/*.owner; do
    [ -f "$owner" ] || continue
    name=$(basename "$owner" .owner)
    rm -f -- "$PROFILES/$name.conf" "$owner"
  done
fi

exit 0
