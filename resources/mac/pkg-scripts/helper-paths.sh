# Longhaul macOS helper locations: the ONE definition. Sourced by preinstall and postinstall (pkgbuild ships this whole
# directory as the package's scripts); copied verbatim between the markers in ../uninstall.sh, which IT may run
# stand-alone. test/unit/mac-helper.test.ts checks the copy, the launchd plist (ProgramArguments, Label, log paths),
# the helper defaults in src-main/helper/profile-source.ts and the binaries scripts/build-helper-sea.mjs builds.
# Plain assignments only: no commands, no eval.
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
