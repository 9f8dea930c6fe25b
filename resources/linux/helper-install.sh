#!/bin/sh
# Installs Longhaul's privileged tunnel helper and its polkit action from the package's resources directory.
# Run by the deb postinst (resources/linux/deb-postinst.sh) as `sh RES/helper/helper-install.sh RES`; run as is by
# test/lab/polkit-wrapper.test.ts, so what the lab tests under the real pkexec is the file this script installs.
# Not rendered by electron-builder (an extraResource, copied verbatim).
#   /usr/lib/longhaul/longhaul-helper       root:root 0755  (the polkit action's exec.path: longhaul-helper-wrapper.sh)
#   /usr/lib/longhaul/longhaul-helper.bin   root:root 0755  (the helper: a Node single executable, its own runtime)
#   /usr/share/polkit-1/actions/studio.longhaul.client.helper.policy   root:root 0644
#   /etc/longhaul/ and /etc/longhaul/sites/  root:root 0755 / 0700 (managed policy and pre-provisioned sites)
set -eu

RES="$1"
HELPER_DIR=/usr/lib/longhaul
POLKIT_DIR=/usr/share/polkit-1/actions
POLKIT_FILE=studio.longhaul.client.helper.policy

install -d -o root -g root -m 0755 "$HELPER_DIR"
if [ -f "$RES/helper/longhaul-helper" ] && [ -f "$RES/helper/longhaul-helper-wrapper.sh" ]; then
  # Each file is installed next to its final name and renamed over it, so a running helper is never half-written.
  install -o root -g root -m 0755 "$RES/helper/longhaul-helper" "$HELPER_DIR/longhaul-helper.bin.new"
  mv -f "$HELPER_DIR/longhaul-helper.bin.new" "$HELPER_DIR/longhaul-helper.bin"
  install -o root -g root -m 0755 "$RES/helper/longhaul-helper-wrapper.sh" "$HELPER_DIR/longhaul-helper.new"
  mv -f "$HELPER_DIR/longhaul-helper.new" "$HELPER_DIR/longhaul-helper"
  # Versions before the single executable ran a .cjs with the system Node.js.
  rm -f "$HELPER_DIR/longhaul-helper.cjs"
else
  echo "longhaul: tunnel helper missing from the package ($RES/helper/); connecting will not work" >&2
fi

# The polkit action (default auth_admin_keep; IT may grant a group with a rules file, see docs/deployment.md).
if [ -f "$RES/polkit/$POLKIT_FILE" ]; then
  install -d -o root -g root -m 0755 "$POLKIT_DIR"
  install -o root -g root -m 0644 "$RES/polkit/$POLKIT_FILE" "$POLKIT_DIR/$POLKIT_FILE"
fi

# Where IT puts managed policy and site bundles (never created with content: the policy file is IT's).
install -d -o root -g root -m 0755 /etc/longhaul
install -d -o root -g root -m 0700 /etc/longhaul/sites
