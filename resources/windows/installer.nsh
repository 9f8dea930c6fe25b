; Longhaul NSIS include (nsis.include). electron-builder calls these macros from its per-machine installer.
;  - customInstall: creates %ProgramData%\Longhaul\Sites, readable only by SYSTEM and Administrators (IT
;    pre-provisions site bundles there), and installs the tunnel service when the package ships one.
;  - customUnInstall: removes the service; IT's policy (registry) and site bundles are left in place.
; Managed policy lives in HKLM\SOFTWARE\Policies\Longhaul (ADMX template in resources\policy\windows); this installer
; never writes it. The MSI target does not run these macros (electron-builder's MSI has no include hook); see
; docs/deployment.md.
; UNVERIFIED: NSIS cannot run in the dev container; the service binary name is the tunnel helper's
; (resources\helper\longhaul-service.exe, verbs `install` / `uninstall`).

!macro customInstall
  SetShellVarContext all
  CreateDirectory "$COMMONAPPDATA\Longhaul\Sites"
  ; S-1-5-18 = SYSTEM, S-1-5-32-544 = Administrators (SIDs, so localised group names do not matter).
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$COMMONAPPDATA\Longhaul\Sites" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F'
  Pop $0
  IfFileExists "$INSTDIR\resources\helper\longhaul-service.exe" 0 +3
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" install'
    Pop $0
!macroend

!macro customUnInstall
  IfFileExists "$INSTDIR\resources\helper\longhaul-service.exe" 0 +3
    nsExec::ExecToLog '"$INSTDIR\resources\helper\longhaul-service.exe" uninstall'
    Pop $0
!macroend
