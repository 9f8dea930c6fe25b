<#
  Longhaul health for Intune Remediations: the REMEDIATION script (docs/deployment.md, "Fleet recipes"); Intune runs
  it when intune-longhaul-detect.ps1 exited 1. Same settings as the detection script (SYSTEM, 64-bit PowerShell).
  What it does depends on what the diagnosis says, because most of Longhaul's fixes are not this machine's to make
  (the farm's DNS, the gateway's MSS clamp, the artist's home router):
    broken: CODES    writes the redacted support report (`longhaul report`, no keys in it) for the same profile and
                     site, uploads it to your support URL when the policy has one (supportUploadUrl) or else keeps it
                     in SYSTEM's Longhaul reports folder, and prints its support ID with the codes: the ticket starts with the
                     evidence. Exit 0 when the report was made. The device stays "with issues" until the cause is fixed.
    could-not-run / not-installed   nothing can be done from here: the reason is printed, exit 1.
    anything else    the issue has gone since detection: exit 0.
  Checked here (no PowerShell on the build machine): test/support/powershell-lint.ts, a syntax check of the constructs
  these scripts use, not a parser. UNVERIFIED: it has never run under PowerShell or Intune.
#>

# --- settings ---
$LonghaulCli = Join-Path $env:ProgramW6432 'Longhaul\resources\bin\longhaul.exe'
$LonghaulProfile = 'C:\ProgramData\Longhaul\Sites\london-farm\london-farm.conf'
$LonghaulSite = 'C:\ProgramData\Longhaul\Sites\london-farm\site.json'
# --- end settings ---

$ErrorActionPreference = 'Continue'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8

# --- classification (identical in intune-longhaul-detect.ps1 and intune-longhaul-remediate.ps1) ---
function Get-LonghaulHealth {
  if (-not (Test-Path -LiteralPath $LonghaulCli -PathType Leaf)) {
    return [pscustomobject]@{ State = 'not-installed'; Issue = $true; Line = 'not-installed' }
  }
  $cliArgs = @('diagnose', '--json', '--profile', $LonghaulProfile)
  if ($LonghaulSite) { $cliArgs += @('--site', $LonghaulSite) }
  $out = & $LonghaulCli @cliArgs
  $code = $LASTEXITCODE
  $doc = $null
  try { $doc = ($out | Out-String) | ConvertFrom-Json } catch { $doc = $null }
  if ($null -eq $doc -or $doc.schemaVersion -ne 1) {
    return [pscustomobject]@{ State = 'could-not-run'; Issue = $true; Line = "could-not-run: unexpected output (exit $code)" }
  }
  if ($null -ne $doc.error) {
    return [pscustomobject]@{ State = 'could-not-run'; Issue = $true; Line = "could-not-run: $($doc.error.message)" }
  }
  if ($code -eq 0) { return [pscustomobject]@{ State = 'healthy'; Issue = $false; Line = 'healthy' } }
  if ($code -ne 1) {
    return [pscustomobject]@{ State = 'could-not-run'; Issue = $true; Line = "could-not-run: exit $code" }
  }
  $errors = @($doc.findings | Where-Object { $_.severity -eq 'error' } | ForEach-Object { $_.code } | Select-Object -Unique)
  $warnings = @($doc.findings | Where-Object { $_.severity -eq 'warning' } | ForEach-Object { $_.code } | Select-Object -Unique)
  if ($errors.Count -eq 1 -and $errors[0] -eq 'tunnel.down') {
    return [pscustomobject]@{ State = 'not-connected'; Issue = $false; Line = 'not-connected' }
  }
  if ($errors.Count -gt 0) {
    return [pscustomobject]@{ State = 'broken'; Issue = $true; Line = "broken: $($errors -join ' ')" }
  }
  return [pscustomobject]@{ State = 'degraded'; Issue = $false; Line = "degraded: $($warnings -join ' ')" }
}
# --- end classification ---

$health = Get-LonghaulHealth
if ($health.State -eq 'could-not-run' -or $health.State -eq 'not-installed') {
  Write-Output "Longhaul: $($health.Line); nothing to remediate from here"
  exit 1
}
if ($health.State -ne 'broken') {
  Write-Output "Longhaul: $($health.Line) (no longer broken)"
  exit 0
}

$reportArgs = @('report', '--json', '--profile', $LonghaulProfile)
if ($LonghaulSite) { $reportArgs += @('--site', $LonghaulSite) }
# `longhaul policy list --json`: {"values": [{"key", "value", "source", "locked"}, ...]} (src-main/cli/commands/policy.ts).
$policy = $null
try { $policy = (& $LonghaulCli @('policy', 'list', '--json') | Out-String) | ConvertFrom-Json } catch { $policy = $null }
$uploadUrl = @($policy.values | Where-Object { $_.key -eq 'supportUploadUrl' } | ForEach-Object { $_.value })
# Without an upload URL the zip stays in the CLI's own reports folder: as SYSTEM that is
# %WINDIR%\System32\config\systemprofile\AppData\Roaming\Longhaul\reports, which only SYSTEM and administrators can
# open (a folder under ProgramData would let users plant a junction where SYSTEM writes).
if ($uploadUrl.Count -gt 0 -and $uploadUrl[0]) { $reportArgs += @('--upload') }
# `longhaul report --json`: {"path", "supportId", "verdict", "uploaded"} (src-main/cli/commands/report.ts); exit 0 when made.
$report = $null
try { $report = (& $LonghaulCli @reportArgs | Out-String) | ConvertFrom-Json } catch { $report = $null }
if ($LASTEXITCODE -ne 0 -or $null -eq $report -or $null -ne $report.error) {
  Write-Output "Longhaul: $($health.Line); the support report could not be made (exit $LASTEXITCODE)"
  exit 1
}
$where = if ($report.uploaded) { 'uploaded' } else { $report.path }
Write-Output "Longhaul: $($health.Line); support ID $($report.supportId) ($where)"
exit 0
