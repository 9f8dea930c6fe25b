<#
  Longhaul health for Intune Remediations: the DETECTION script (docs/deployment.md, "Fleet recipes").
  Intune: Devices > Scripts and remediations > Create: this file as the detection script, intune-longhaul-remediate.ps1
  as the remediation script; "Run this script using the logged-on credentials": No (SYSTEM, with the provisioned site
  folder below), "Run script in 64-bit PowerShell": Yes (a 32-bit PowerShell sees Program Files (x86)).
  Exit 1 = issue (Intune runs the remediation), exit 0 = no issue. The last output line is what Intune shows:
    healthy | not-connected | degraded: CODES | broken: CODES   (no issue unless broken)
    could-not-run: MESSAGE | not-installed                      (issue: IT has to look)
  CODES are the finding codes of docs/checks.md (mtu.blackhole, dns.resolver-unreachable, ...). The check never
  changes the tunnel. It calls longhaul.exe by its full path: the machine PATH the installer extends reaches the
  Intune agent only after the agent restarts.
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
Write-Output "Longhaul: $($health.Line)"
if ($health.Issue) { exit 1 }
exit 0
