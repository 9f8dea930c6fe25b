#!/bin/bash
# Longhaul deb postrm (electron-builder `deb.afterRemove`; fpm installs it as the package's postrm). electron-builder's
# deb options expose after-install and after-remove only, so removal of the helper happens here, after the files of
# the package are gone (the CLI's /usr/bin/longhaul was taken off PATH by the prerm, while resources/linux/cli-link.sh
# was still installed). IT's /etc/longhaul (policy, sites) is kept on remove and on purge: it is configuration that
# belongs to the fleet tooling, not to the package.
set -e

EXE='${executable}'

case "$1" in
  upgrade|failed-upgrade|abort-install|abort-upgrade|disappear)
    # An upgrade's new postinst reinstalls everything below; removing it here would open a window without a helper.
    exit 0
    ;;
esac

if [ -f "/etc/apparmor.d/$EXE" ]; then
  if apparmor_status --enabled >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
    apparmor_parser --remove "/etc/apparmor.d/$EXE" || true
  fi
  rm -f "/etc/apparmor.d/$EXE"
fi

rm -f /usr/lib/longhaul/longhaul-helper /usr/lib/longhaul/longhaul-helper.bin /usr/lib/longhaul/longhaul-helper.cjs
rmdir /usr/lib/longhaul 2>/dev/null || true
rm -f /usr/share/polkit-1/actions/studio.longhaul.client.helper.policy

exit 0
