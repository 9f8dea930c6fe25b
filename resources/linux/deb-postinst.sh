#!/bin/bash
# Longhaul deb postinst (electron-builder `deb.afterInstall`; fpm installs it as the package's postinst).
# electron-builder renders ${executable} and ${sanitizedProductName} before packaging; shell variables in this file
# are therefore written as $NAME, never with braces.
#
# Besides what electron-builder's default after-install does (command link, chrome-sandbox mode, desktop and MIME
# databases), this installs the privileged tunnel helper and its polkit action:
#   /usr/lib/longhaul/longhaul-helper       root:root 0755  (the polkit action's exec.path; a fixed wrapper)
#   /usr/lib/longhaul/longhaul-helper.bin   root:root 0755  (the helper: a Node single executable, its own runtime)
#   /usr/share/polkit-1/actions/studio.longhaul.client.helper.policy   root:root 0644
#   /etc/longhaul/ and /etc/longhaul/sites/  root:root 0755 / 0700 (managed policy and pre-provisioned sites)
set -e

APP_DIR='/opt/${sanitizedProductName}'
EXE='${executable}'
RES="$APP_DIR/resources"
HELPER_DIR=/usr/lib/longhaul
POLKIT_DIR=/usr/share/polkit-1/actions
POLKIT_FILE=studio.longhaul.client.helper.policy

# Command on PATH (update-alternatives when available, as electron-builder does).
if type update-alternatives >/dev/null 2>&1; then
  if [ -L "/usr/bin/$EXE" ] && [ "$(readlink "/usr/bin/$EXE")" != "/etc/alternatives/$EXE" ]; then
    rm -f "/usr/bin/$EXE"
  fi
  update-alternatives --install "/usr/bin/$EXE" "$EXE" "$APP_DIR/$EXE" 100 || ln -sf "$APP_DIR/$EXE" "/usr/bin/$EXE"
else
  ln -sf "$APP_DIR/$EXE" "/usr/bin/$EXE"
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

# The tunnel helper: a single executable plus a fixed wrapper. The wrapper clears the environment, so nothing the
# calling user sets (NODE_OPTIONS, NODE_PATH, PATH) reaches the root process.
install -d -o root -g root -m 0755 "$HELPER_DIR"
if [ -f "$RES/helper/longhaul-helper" ]; then
  install -o root -g root -m 0755 "$RES/helper/longhaul-helper" "$HELPER_DIR/longhaul-helper.bin.new"
  mv -f "$HELPER_DIR/longhaul-helper.bin.new" "$HELPER_DIR/longhaul-helper.bin"
  cat > "$HELPER_DIR/longhaul-helper.new" <<'WRAPPER'
#!/bin/sh
exec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C /usr/lib/longhaul/longhaul-helper.bin "$@"
WRAPPER
  chown root:root "$HELPER_DIR/longhaul-helper.new"
  chmod 0755 "$HELPER_DIR/longhaul-helper.new"
  mv -f "$HELPER_DIR/longhaul-helper.new" "$HELPER_DIR/longhaul-helper"
  # Versions before the single executable ran a .cjs with the system Node.js.
  rm -f "$HELPER_DIR/longhaul-helper.cjs"
else
  echo "longhaul: tunnel helper missing from the package ($RES/helper/longhaul-helper); connecting will not work" >&2
fi

# The polkit action (default auth_admin_keep; IT may grant a group with a rules file, see docs/deployment.md).
if [ -f "$RES/polkit/$POLKIT_FILE" ]; then
  install -d -o root -g root -m 0755 "$POLKIT_DIR"
  install -o root -g root -m 0644 "$RES/polkit/$POLKIT_FILE" "$POLKIT_DIR/$POLKIT_FILE"
fi

# Where IT puts managed policy and site bundles (never created with content: the policy file is IT's).
install -d -o root -g root -m 0755 /etc/longhaul
install -d -o root -g root -m 0700 /etc/longhaul/sites

exit 0
