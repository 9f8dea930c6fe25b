#!/bin/bash
# Longhaul deb postinst (electron-builder `deb.afterInstall`; fpm installs it as the package's postinst).
# electron-builder renders ${executable} and ${sanitizedProductName} before packaging; shell variables in this file
# are therefore written as $NAME, never with braces.
#
# Besides what electron-builder's default after-install does (chrome-sandbox mode, desktop and MIME databases,
# AppArmor), this puts the CLI on PATH as /usr/bin/longhaul (resources/linux/cli-link.sh; electron-builder's default
# linked the Electron app there) and installs the privileged tunnel helper and its polkit action through
# resources/linux/helper-install.sh (which lists what it installs).
set -e

APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'
RES="$APP_DIR/resources"

# /usr/bin/longhaul is the CLI ($RES/bin/longhaul, a Node single executable), through update-alternatives
# (resources/linux/cli-link.sh, which also drops the app itself from that name: electron-builder's default
# after-install registered $APP_DIR/$EXE there before the CLI shipped). The desktop entry starts the app by its
# absolute path, $APP_DIR/$EXE. A failure here is reported, not fatal: the app and the helper work without it.
if [ -f "$RES/bin/cli-link.sh" ]; then
  sh "$RES/bin/cli-link.sh" install "$RES" "$APP_DIR/$EXE" || echo "longhaul: could not put the CLI on PATH as /usr/bin/longhaul; run it as $RES/bin/longhaul" >&2
else
  echo "longhaul: $RES/bin/cli-link.sh missing from the package; /usr/bin/longhaul was not installed" >&2
fi

# chrome-sandbox needs SUID only where unprivileged user namespaces do not work.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
fi

# AppArmor profile electron-builder ships for Ubuntu 24.04+ (loaded only where the running AppArmor accepts it).
if apparmor_status --enabled >/dev/null 2>&1 && [ -f "$RES/apparmor-profile" ]; then
  if apparmor_parser --skip-kernel-load --debug "$RES/apparmor-profile" >/dev/null 2>&1; then
    cp -f "$RES/apparmor-profile" "/etc/apparmor.d/$EXE"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache "/etc/apparmor.d/$EXE" || true
    fi
  fi
fi

if hash update-mime-database 2>/dev/null; then update-mime-database /usr/share/mime || true; fi
if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi

# The tunnel helper, its wrapper (the polkit exec.path, which keeps PKEXEC_UID), the polkit action and IT's
# directories: one script, shipped as a resource, that the lab test runs under the real pkexec as well.
if [ -f "$RES/helper/helper-install.sh" ]; then
  sh "$RES/helper/helper-install.sh" "$RES"
else
  echo "longhaul: $RES/helper/helper-install.sh missing from the package; connecting will not work" >&2
fi

exit 0
