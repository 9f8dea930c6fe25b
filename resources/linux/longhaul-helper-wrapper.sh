#!/bin/sh
# /usr/lib/longhaul/longhaul-helper — the polkit action's exec.path (resources/linux/studio.longhaul.client.helper.policy).
# Installed verbatim by resources/linux/helper-install.sh (run by the deb postinst); electron-builder does not render
# this file, so shell expansions with braces are fine here.
#
# pkexec has already cleared the caller's environment; this wrapper clears it once more so that nothing a caller sets
# (NODE_OPTIONS, NODE_PATH, PATH, LD_*) can reach the root process, and passes on exactly two things:
#   PATH=<fixed system path>, LC_ALL=C
#   PKEXEC_UID, when pkexec set it: the uid of the user who asked. The helper decides whose tunnel and whose stored
#   profile a request may touch from it; dropping it would make every polkit-authorised caller look like root
#   (issue 13.1). Set but empty or not a number, the helper refuses to run.
# Started by root directly (IT scripts, the prerm), there is no PKEXEC_UID and the caller is root.
if [ "${PKEXEC_UID+set}" = set ]; then
  exec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "PKEXEC_UID=$PKEXEC_UID" /usr/lib/longhaul/longhaul-helper.bin "$@"
fi
exec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C /usr/lib/longhaul/longhaul-helper.bin "$@"
