; Longhaul NSIS include (nsis.include). electron-builder calls these macros from its per-machine installer.
;  - customInstall: creates the folders under %ProgramData%\Longhaul with their ACLs (SIDs, so localised group names
;    do not matter: S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-4 INTERACTIVE; inheritance removed, because
;    ProgramData lets Users create files in subfolders by default):
;      Sites    SYSTEM + Administrators only   IT pre-provisions site bundles (keys) here
;      service  SYSTEM + Administrators only   the helper service's profiles (keys), runtime files and logs
;      access   + INTERACTIVE read             the service's access token (what makes the pipe interactive-only)
;    (an icacls failure aborts the install, as in the MSI: a folder left with ProgramData's inherited ACL would let
;    Users create files in it), then installs and starts the tunnel service (longhaul-service.exe, the SCM host, runs
;    longhaul-helperd.exe), and puts the CLI's folder $INSTDIR\resources\bin on the machine PATH
;    (longhaul-service.exe path-add; the MSI uses WiX's Environment element instead).
;  - customUnInstall: takes Longhaul's tunnels down (longhaul-helperd.exe --down-all: the WireGuardTunnel$NAME services
;    it installed would otherwise start again at boot; not on an update, which runs the old uninstaller first), then
;    removes the service (also on an update, so its files are not in use; the new customInstall registers it again)
;    and takes the CLI's folder off the machine PATH (path-remove). IT's policy (registry), site bundles and the
;    folders stay.
; Managed policy lives in HKLM\SOFTWARE\Policies\Longhaul (ADMX template in resources\policy\windows); this installer
; never writes it. The MSI target does not run these macros (electron-builder's MSI has no include hook); see
; docs/deployment.md.
; UNVERIFIED: NSIS cannot run in the dev container. The host is tested under Wine (test/unit/windows-service-host.test.ts);
; --down-all in the lab on Linux (test/lab/uninstall.test.ts); path-add/path-remove under Wine, with a PATH far longer
; than an NSIS string.

!include WinMessages.nsh ; HWND_BROADCAST, WM_SETTINGCHANGE (MUI2 includes it too; it guards against a second include)
!include LogicLib.nsh

!macro customInstall
  SetShellVarContext all
  CreateDirectory "$COMMONAPPDATA\Longhaul\Sites"
  ; S-1-5-18 = SYSTEM, S-1-5-32-544 = Administrators (SIDs, so localised group names do not matter).
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONAPPDATA\Longhaul\Sites" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F'
  Pop $0
  StrCmp $0 "0" +2
    Abort "Longhaul could not set the permissions of %ProgramData%\Longhaul\Sites (icacls exit $0); the tunnel service was not installed."
  CreateDirectory "$COMMONAPPDATA\Longhaul\service"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONAPPDATA\Longhaul\service" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F'
  Pop $0
  StrCmp $0 "0" +2
    Abort "Longhaul could not set the permissions of %ProgramData%\Longhaul\service (icacls exit $0); the tunnel service was not installed."
  CreateDirectory "$COMMONAPPDATA\Longhaul\access"
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONAPPDATA\Longhaul\access" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-4:(OI)(CI)RX'
  Pop $0
  StrCmp $0 "0" +2
    Abort "Longhaul could not set the permissions of %ProgramData%\Longhaul\access (icacls exit $0); the tunnel service was not installed."
  IfFileExists "$INSTDIR\resources\helper\longhaul-service.exe" 0 +3
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" install'
    Pop $0
  ; The CLI (resources\bin\longhaul.exe) on the machine PATH: the service host edits the value natively (path-add, no
  ; argument: the folder is ..\bin from the host), because NSIS strings hold NSIS_MAX_STRLEN characters and
  ; ReadRegStr silently truncates a longer PATH. Then running programs (Explorer) are told the environment changed.
  ${If} ${FileExists} "$INSTDIR\resources\helper\longhaul-service.exe"
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" path-add'
    Pop $0
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend

!macro customUnInstall
  ; An update runs the old uninstaller first (${isUpdated}): the tunnels stay up, only the service is replaced.
  ${ifNot} ${isUpdated}
    IfFileExists "$INSTDIR\resources\helper\longhaul-helperd.exe" 0 +3
      nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-helperd.exe" --down-all'
      Pop $0
  ${endIf}
  IfFileExists "$INSTDIR\resources\helper\longhaul-service.exe" 0 +3
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" uninstall'
    Pop $0
  ; The CLI's folder off the machine PATH (also on an update: the new customInstall adds it again).
  ${If} ${FileExists} "$INSTDIR\resources\helper\longhaul-service.exe"
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" path-remove'
    Pop $0
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend
