#!/bin/sh
# Puts the `longhaul` CLI (a Node single executable, RES/bin/longhaul) on PATH as /usr/bin/longhaul, or takes it off.
# Shipped verbatim as an extraResource (RES/bin/cli-link.sh; electron-builder does not render it) and run by the deb
# maintainer scripts; run as is by test/lab/cli-sea.test.ts in a private mount namespace.
#   sh cli-link.sh install RES [REPLACED]   postinst: /usr/bin/longhaul -> RES/bin/longhaul through update-alternatives
#                                            (name longhaul, priority 100), plain symlink without it. REPLACED: an
#                                            alternative to drop from the group first — before the CLI shipped,
#                                            electron-builder's default registered the Electron app itself
#                                            (/opt/Longhaul/longhaul) as /usr/bin/longhaul.
#   sh cli-link.sh remove RES                prerm (remove): the alternative goes; a plain symlink only if it is ours.
# The desktop entry starts the app by its absolute path (/opt/Longhaul/longhaul), never through /usr/bin.
set -eu

usage() {
  echo "usage: sh cli-link.sh install RES [REPLACED] | remove RES" >&2
  exit 2
}

[ $# -ge 2 ] || usage
VERB=$1
RES=$2
NAME=longhaul
LINK=/usr/bin/longhaul
CLI="$RES/bin/longhaul"

has_alternatives() {
  command -v update-alternatives >/dev/null 2>&1
}

case "$VERB" in
  install)
    [ $# -le 3 ] || usage
    if has_alternatives && [ $# -eq 3 ]; then
      # Quietly: on a first install the old alternative is not registered.
      update-alternatives --remove "$NAME" "$3" >/dev/null 2>&1 || true
    fi
    if [ ! -f "$CLI" ] || [ ! -x "$CLI" ]; then
      echo "longhaul: the CLI is missing from the package ($CLI); $LINK was not installed" >&2
      exit 0
    fi
    if has_alternatives; then
      # A link that is not the alternatives' own (a manual or pre-alternatives link) would make update-alternatives
      # refuse; a regular file there is never ours and is left alone (update-alternatives then says why).
      if [ -L "$LINK" ] && [ "$(readlink "$LINK")" != "/etc/alternatives/$NAME" ]; then
        rm -f "$LINK"
      fi
      update-alternatives --install "$LINK" "$NAME" "$CLI" 100
    else
      ln -sf "$CLI" "$LINK"
    fi
    ;;
  remove)
    [ $# -eq 2 ] || usage
    if has_alternatives; then
      update-alternatives --remove "$NAME" "$CLI" >/dev/null 2>&1 || true
    fi
    if [ -L "$LINK" ] && [ "$(readlink "$LINK")" = "$CLI" ]; then
      rm -f "$LINK"
    fi
    ;;
  *)
    usage
    ;;
esac
exit 0
