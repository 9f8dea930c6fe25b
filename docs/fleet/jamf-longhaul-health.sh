#!/bin/sh
# Longhaul health as a Jamf Pro extension attribute (macOS; docs/deployment.md, "Fleet recipes").
# Jamf: Settings > Computer management > Extension attributes > New: Data type String, Input type Script, paste this.
# Jamf runs it as root at every inventory update and stores what is between <result> and </result>:
#   healthy                    exit 0 of `longhaul diagnose --json`: every check passed
#   not-connected              exit 1, the only error is tunnel.down: the artist is simply not connected now
#   degraded: CODE ...         exit 1, warnings only (e.g. checks.no-target: the site file lacks an entry)
#   broken: CODE ...           exit 1, error findings (e.g. mtu.blackhole, dns.resolver-unreachable): act on them
#   could-not-run: MESSAGE     exit 2 (or an unexpected answer): the CLI says why
#   not-installed              no CLI in the app
# A Smart Computer Group on "Longhaul health like broken:" finds the machines to look at; the codes are the finding
# codes of docs/checks.md. The check never changes the tunnel and takes a few seconds.
#
# Runs as root, so it calls the CLI inside the app (the pkg's /usr/local/bin/longhaul link is replaceable by whoever
# owns /usr/local/bin) and passes the provisioned site folder's profile and site file, which root can read (as root
# the CLI has no stored profiles of its own). The JSON is read with JavaScript for Automation (osascript, on every
# macOS), not with jq (only macOS 15 ships it) or python3 (not installed by default).
# Checked: sh -n; run on Linux against the recorded documents of test/fixtures/cli/ with a STAND-IN osascript
# (test/unit/fleet-recipes.test.ts) and against the real CLI in the lab (test/lab/cli-sea.test.ts). UNVERIFIED: the
# real osascript and Jamf.

# --- settings ---
LONGHAUL='/Applications/Longhaul.app/Contents/Resources/bin/longhaul'
PROFILE='/Library/Application Support/Longhaul/Sites/london-farm/london-farm.conf'
SITE='/Library/Application Support/Longhaul/Sites/london-farm/site.json'
OSASCRIPT='/usr/bin/osascript'
# --- end settings ---

# The classification: argv[0] the CLI's exit code, argv[1] its stdout. No single quotes in here (shell quoting).
CLASSIFY='
function run(argv) {
  var code = Number(argv[0]);
  var doc = null;
  try { doc = JSON.parse(argv[1]); } catch (e) { doc = null; }
  if (doc === null || typeof doc !== "object" || doc.schemaVersion !== 1) return "could-not-run: unexpected output (exit " + code + ")";
  if (doc.error) return "could-not-run: " + String(doc.error.message);
  if (code === 0) return "healthy";
  if (code !== 1) return "could-not-run: exit " + code;
  var errors = [], warnings = [];
  (doc.findings || []).forEach(function (f) {
    var list = f.severity === "error" ? errors : f.severity === "warning" ? warnings : null;
    if (list !== null && list.indexOf(f.code) < 0) list.push(f.code);
  });
  if (errors.length === 1 && errors[0] === "tunnel.down") return "not-connected";
  if (errors.length > 0) return "broken: " + errors.join(" ");
  return "degraded: " + warnings.join(" ");
}'

if [ ! -x "$LONGHAUL" ]; then
  echo "<result>not-installed</result>"
  exit 0
fi
set -- diagnose --json --profile "$PROFILE"
if [ -n "$SITE" ]; then
  set -- "$@" --site "$SITE"
fi
out=$("$LONGHAUL" "$@" 2>/dev/null)
code=$?
state=$("$OSASCRIPT" -l JavaScript -e "$CLASSIFY" "$code" "$out" 2>/dev/null) || state="could-not-run: the result could not be read (osascript)"
# Nothing in the value may close the tag early.
state=$(printf '%s' "$state" | tr '<>\r\n' '    ')
echo "<result>$state</result>"
exit 0
