/*
 * longhaul-service.exe: the native Windows SERVICE HOST for Longhaul's privileged tunnel helper (like WinSW).
 * Node cannot call the Service Control Manager (StartServiceCtrlDispatcherW needs native code), so this small host is
 * the service "LonghaulTunnel" and runs the Node single executable longhaul-helperd.exe (which serves the helper's
 * request language on \\.\pipe\longhaul-tunnel) as its child.
 *
 *   longhaul-service install     create (or update) the service, set description + recovery, start it   (installer)
 *   longhaul-service uninstall   stop it (bounded wait) and delete it; OK when it does not exist         (uninstaller)
 *   longhaul-service run         only under the SCM: StartServiceCtrlDispatcherW -> ServiceMain
 *   longhaul-service path-add    put the CLI's folder (..\bin from here) on the machine PATH, once  (NSIS installer)
 *   longhaul-service path-remove take it off again; OK when it is not there                         (NSIS uninstaller)
 *   anything else                usage on stderr, exit 2
 * Exit codes: 0 done, 1 failed (reason on stderr), 2 usage / `run` outside the SCM, 3 installed but did not start.
 * Service-specific exit codes (sc query): 1 child keeps failing, 2 child exe missing, 3 host error, 4 child never started.
 *
 * ServiceMain: START_PENDING -> starts longhaul-helperd.exe from THIS executable's directory (GetModuleFileNameW; never
 * PATH, no user data in the command line: lpApplicationName set, command line = the quoted path only), suspended,
 * assigns it to a Job object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE (the child dies with the host, whatever happens),
 * resumes it -> RUNNING. STOP/SHUTDOWN: TerminateJobObject -> STOPPED. The child exiting on its own is restarted after
 * 1, 2, 4 ... capped 30 s; after MAX_QUICK_FAILS consecutive runs shorter than QUICK_MS the host reports STOPPED with
 * ERROR_SERVICE_SPECIFIC_ERROR / EXIT_CHILD_FAILING, so the SCM recovery actions (failure actions flag set) apply.
 * The child's stdin/stdout/stderr are NUL: it logs to its own file (helperd.log).
 *
 * Built by scripts/build-service-host.mjs (mingw-w64, -municode -static, advapi32). Verified (test/unit/
 * windows-service-host.test.ts): compiles warning-free; PE32+ x86-64 console executable; its import table; and under
 * Wine 8 (Debian wine64, fresh prefix): install creates the service and starts it, the child stand-in runs with the
 * quoted command line, is restarted after it exits, is killed by a stop and when the host is killed (job object), a
 * child that keeps failing ends in STOPPED / service-specific 1, uninstall deletes the service (twice is OK), usage
 * exits 2; path-add/path-remove on Wine's registry (a 5000-character REG_EXPAND_SZ PATH kept whole, its type kept,
 * once only, removed exactly, other entries byte for byte, refusals when the CLI is missing or past 32767). Wine 8 rejects SERVICE_CONFIG_FAILURE_ACTIONS_FLAG ("invalid level"; install warns and goes on).
 * UNVERIFIED: the real Windows SCM (LocalSystem, recovery actions, shutdown ordering), the named pipe's ACL (set by
 * longhaul-helperd.exe, not here), code signing of this exe, the real Windows registry and Explorer picking up the
 * new PATH (WM_SETTINGCHANGE is broadcast by the NSIS include).
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define SERVICE_NAME L"LonghaulTunnel"
#define DISPLAY_NAME L"Longhaul tunnel helper"
#define DESCRIPTION L"Brings Longhaul's WireGuard tunnels up and down for artists (runs longhaul-helperd.exe)."
#define CHILD_NAME L"longhaul-helperd.exe"
#define QUICK_MS 60000        /* a child run shorter than this is a "quick" failure */
#define MAX_QUICK_FAILS 5     /* consecutive quick failures before giving up */
#define BACKOFF_CAP_MS 30000
#define EXIT_CHILD_FAILING 1  /* service-specific exit codes (sc query: SERVICE_EXIT_CODE) */
#define EXIT_CHILD_MISSING 2
#define EXIT_HOST_ERROR 3
#define EXIT_CHILD_START_FAILED 4
#define PATH_CAP 32768

static SERVICE_STATUS_HANDLE g_status_handle;
static SERVICE_STATUS g_status;
static CRITICAL_SECTION g_status_lock;
static HANDLE g_stop_event;

/* One line on stderr, UTF-8, with the Win32 error text when err != 0. */
static void say(DWORD err, const wchar_t *fmt, ...) {
  wchar_t line[2048];
  char out[6144];
  va_list ap;
  va_start(ap, fmt);
  int n = _vsnwprintf(line, 1500, fmt, ap);
  va_end(ap);
  if (n < 0) n = 1500;
  line[n] = 0;
  if (err != 0) {
    wchar_t sys[512];
    DWORD m = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err, 0, sys, 512, NULL);
    while (m > 0 && (sys[m - 1] == L'\r' || sys[m - 1] == L'\n' || sys[m - 1] == L' ')) sys[--m] = 0;
    if (m == 0) sys[0] = 0;
    _snwprintf(line + n, 2048 - n - 1, L" (error %lu%ls%ls)", (unsigned long)err, m ? L": " : L"", sys);
    line[2047] = 0;
  }
  int len = WideCharToMultiByte(CP_UTF8, 0, line, -1, out, sizeof out - 2, NULL, NULL);
  if (len <= 0) return;
  out[len - 1] = '\n';
  DWORD written;
  WriteFile(GetStdHandle(STD_ERROR_HANDLE), out, (DWORD)len, &written, NULL);
}

/* Full path of this executable; FALSE when it does not fit (no truncated path is ever used). */
static BOOL own_path(wchar_t *buf, DWORD cap) {
  DWORD n = GetModuleFileNameW(NULL, buf, cap);
  return n > 0 && n < cap; /* n == cap: truncated */
}

/* ---------------------------------------------------------------- install / uninstall (run by the installer) */

static DWORD wait_for_state(SC_HANDLE svc, DWORD want, DWORD timeout_ms, SERVICE_STATUS_PROCESS *st) {
  DWORD need, waited = 0;
  for (;;) {
    if (!QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (LPBYTE)st, sizeof *st, &need)) return GetLastError();
    if (st->dwCurrentState == want) return 0;
    if (want == SERVICE_RUNNING && st->dwCurrentState == SERVICE_STOPPED && waited > 0) return ERROR_SERVICE_NOT_ACTIVE;
    if (waited >= timeout_ms) return WAIT_TIMEOUT;
    Sleep(250);
    waited += 250;
  }
}

static int do_install(void) {
  wchar_t self[PATH_CAP], bin[PATH_CAP + 8];
  if (!own_path(self, PATH_CAP)) { say(GetLastError(), L"install: cannot read this program's path"); return 1; }
  _snwprintf(bin, PATH_CAP + 8, L"\"%ls\" run", self);
  bin[PATH_CAP + 7] = 0;
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
  if (!scm) { say(GetLastError(), L"install: cannot open the Service Control Manager; run the installer as administrator"); return 1; }
  int rc = 1;
  SC_HANDLE svc = CreateServiceW(scm, SERVICE_NAME, DISPLAY_NAME, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS,
                                 SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, bin, NULL, NULL, NULL, NULL, NULL);
  if (svc) {
    say(0, L"install: created service %ls: %ls", SERVICE_NAME, bin);
  } else if (GetLastError() == ERROR_SERVICE_EXISTS) {
    svc = OpenServiceW(scm, SERVICE_NAME, SERVICE_ALL_ACCESS);
    if (!svc) { say(GetLastError(), L"install: service %ls exists but cannot be opened", SERVICE_NAME); goto out; }
    if (!ChangeServiceConfigW(svc, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, bin, NULL, NULL,
                              NULL, L"LocalSystem", L"", DISPLAY_NAME)) {
      say(GetLastError(), L"install: cannot update the existing service %ls", SERVICE_NAME);
      goto out;
    }
    say(0, L"install: updated existing service %ls: %ls", SERVICE_NAME, bin);
  } else {
    DWORD e = GetLastError();
    say(e, e == ERROR_SERVICE_MARKED_FOR_DELETE ? L"install: service %ls is still being deleted; close Services/Event Viewer "
                                                  L"windows (or reboot) and run the installer again"
                                                : L"install: cannot create service %ls", SERVICE_NAME);
    goto out;
  }
  SERVICE_DESCRIPTIONW desc = { (LPWSTR)DESCRIPTION };
  if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_DESCRIPTION, &desc)) say(GetLastError(), L"install: warning: description not set");
  /* Recovery: restart after 5 s, 10 s, then 30 s; the failure count resets after a day. The flag makes a STOPPED with
     a non-zero exit code (our give-up) count as a failure, not only a crash. */
  SC_ACTION actions[3] = { { SC_ACTION_RESTART, 5000 }, { SC_ACTION_RESTART, 10000 }, { SC_ACTION_RESTART, 30000 } };
  SERVICE_FAILURE_ACTIONSW fa = { 86400, NULL, NULL, 3, actions };
  SERVICE_FAILURE_ACTIONS_FLAG flag = { TRUE };
  if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &fa)) say(GetLastError(), L"install: warning: recovery actions not set");
  if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag)) say(GetLastError(), L"install: warning: recovery flag not set");
  if (!StartServiceW(svc, 0, NULL) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
    say(GetLastError(), L"install: service %ls installed but could not be started", SERVICE_NAME);
    rc = 3;
    goto out;
  }
  SERVICE_STATUS_PROCESS st;
  DWORD w = wait_for_state(svc, SERVICE_RUNNING, 15000, &st);
  if (w == 0) {
    say(0, L"install: service %ls is running (pid %lu)", SERVICE_NAME, (unsigned long)st.dwProcessId);
    rc = 0;
  } else {
    say(0, L"install: service %ls installed but not running (state %lu, exit %lu, service-specific exit %lu)", SERVICE_NAME,
        (unsigned long)st.dwCurrentState, (unsigned long)st.dwWin32ExitCode, (unsigned long)st.dwServiceSpecificExitCode);
    rc = 3;
  }
out:
  if (svc) CloseServiceHandle(svc);
  CloseServiceHandle(scm);
  return rc;
}

static int do_uninstall(void) {
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (!scm) { say(GetLastError(), L"uninstall: cannot open the Service Control Manager; run as administrator"); return 1; }
  int rc = 1;
  SC_HANDLE svc = OpenServiceW(scm, SERVICE_NAME, SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE);
  if (!svc) {
    DWORD e = GetLastError();
    if (e == ERROR_SERVICE_DOES_NOT_EXIST) { say(0, L"uninstall: service %ls is not installed; nothing to do", SERVICE_NAME); rc = 0; }
    else say(e, L"uninstall: cannot open service %ls", SERVICE_NAME);
    CloseServiceHandle(scm);
    return rc;
  }
  SERVICE_STATUS ss;
  SERVICE_STATUS_PROCESS st;
  BOOL stopped = TRUE;
  if (ControlService(svc, SERVICE_CONTROL_STOP, &ss) || GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
    stopped = wait_for_state(svc, SERVICE_STOPPED, 20000, &st) == 0;
    if (!stopped) say(0, L"uninstall: service %ls did not stop within 20 s; it is deleted once it stops", SERVICE_NAME);
  }
  if (!DeleteService(svc) && GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE) {
    say(GetLastError(), L"uninstall: cannot delete service %ls", SERVICE_NAME);
  } else if (stopped) {
    say(0, L"uninstall: service %ls stopped and deleted", SERVICE_NAME);
    rc = 0;
  }
  CloseServiceHandle(svc);
  CloseServiceHandle(scm);
  return rc;
}

/* ---------------------------------------------------------------- path-add / path-remove (run by the NSIS installer) */
/*
 * The CLI's folder, <this exe's folder>\..\bin (resources\bin beside resources\helper), goes on / comes off the machine
 * PATH: HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment, value Path. NSIS cannot do this itself
 * without risk: its strings hold NSIS_MAX_STRLEN characters (1024 in the default build) and ReadRegStr truncates a
 * longer PATH silently, so a read-modify-write through NSIS variables can cut a fleet machine's PATH short. Here the
 * value is read whole (any length), its type is kept (REG_EXPAND_SZ stays REG_EXPAND_SZ: %SystemRoot% & co. keep
 * expanding), every other entry is kept byte for byte (also empty ones and a trailing ';'), and nothing is written
 * when nothing changes. Entries are compared case-insensitively (CompareStringOrdinal, as NTFS compares names),
 * ignoring trailing backslashes and surrounding quotes. No argument: the folder comes from this program's own path,
 * so no caller data reaches the registry. The NSIS include broadcasts WM_SETTINGCHANGE afterwards; the MSI uses the
 * Environment table instead (scripts/msi-project.cjs).
 */
#define ENV_KEY L"SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment"
#define ENV_CAP 32767 /* the longest environment variable value Windows supports, in characters */
#define CLI_NAME L"longhaul.exe"

/* <this exe's folder>\..\bin, canonical, without a trailing backslash; FALSE when it does not fit. */
static BOOL cli_dir(wchar_t *out, DWORD cap) {
  wchar_t self[PATH_CAP], rel[PATH_CAP];
  if (!own_path(self, PATH_CAP)) return FALSE;
  wchar_t *slash = wcsrchr(self, L'\\');
  if (!slash) return FALSE;
  *slash = 0;
  int r = _snwprintf(rel, PATH_CAP, L"%ls\\..\\bin", self);
  if (r < 0 || r >= PATH_CAP) return FALSE;
  rel[PATH_CAP - 1] = 0;
  DWORD n = GetFullPathNameW(rel, cap, out, NULL);
  if (n == 0 || n >= cap) return FALSE;
  while (n > 3 && out[n - 1] == L'\\') out[--n] = 0;
  return TRUE;
}

/* Is the PATH entry e[0..n) the folder dir (dlen characters)? */
static BOOL same_entry(const wchar_t *e, size_t n, const wchar_t *dir, size_t dlen) {
  if (n >= 2 && e[0] == L'"' && e[n - 1] == L'"') { e++; n -= 2; }
  while (n > 3 && e[n - 1] == L'\\') n--;
  return n == dlen && n <= 0x7fffffff && CompareStringOrdinal(e, (int)n, dir, (int)dlen, TRUE) == CSTR_EQUAL;
}

/* The whole Path value (malloc'd, NUL-terminated) and its type; a missing value is an empty REG_EXPAND_SZ. */
static LSTATUS read_path(HKEY key, wchar_t **out, DWORD *type) {
  DWORD bytes = 0;
  LSTATUS e = RegQueryValueExW(key, L"Path", NULL, type, NULL, &bytes);
  if (e == ERROR_FILE_NOT_FOUND) {
    *type = REG_EXPAND_SZ;
    *out = calloc(1, sizeof(wchar_t));
    return *out ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
  }
  if (e != ERROR_SUCCESS) return e;
  if (*type != REG_SZ && *type != REG_EXPAND_SZ) return ERROR_INVALID_DATATYPE;
  for (;;) {
    wchar_t *buf = malloc(bytes + 2 * sizeof(wchar_t));
    if (!buf) return ERROR_OUTOFMEMORY;
    DWORD got = bytes;
    e = RegQueryValueExW(key, L"Path", NULL, type, (BYTE *)buf, &got);
    if (e == ERROR_MORE_DATA) { free(buf); bytes = got; continue; } /* it grew in between */
    if (e != ERROR_SUCCESS) { free(buf); return e; }
    if (*type != REG_SZ && *type != REG_EXPAND_SZ) { free(buf); return ERROR_INVALID_DATATYPE; }
    buf[got / sizeof(wchar_t)] = 0; /* the stored data may lack its NUL */
    *out = buf;
    return ERROR_SUCCESS;
  }
}

static int do_path(BOOL add) {
  const wchar_t *verb = add ? L"path-add" : L"path-remove";
  wchar_t dir[PATH_CAP], exe[PATH_CAP];
  if (!cli_dir(dir, PATH_CAP)) { say(GetLastError(), L"%ls: cannot work out the CLI folder from this program's path", verb); return 1; }
  size_t dlen = wcslen(dir);
  if (add) {
    int r = _snwprintf(exe, PATH_CAP, L"%ls\\%ls", dir, CLI_NAME);
    DWORD attr = r < 0 || r >= PATH_CAP ? INVALID_FILE_ATTRIBUTES : GetFileAttributesW(exe);
    if (attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_DIRECTORY)) {
      say(0, L"%ls: %ls\\%ls is missing; the machine PATH is not changed", verb, dir, CLI_NAME);
      return 1;
    }
  }
  HKEY key;
  LSTATUS e = RegOpenKeyExW(HKEY_LOCAL_MACHINE, ENV_KEY, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &key);
  if (e != ERROR_SUCCESS) { say((DWORD)e, L"%ls: cannot open HKLM\\%ls; run the installer as administrator", verb, ENV_KEY); return 1; }
  wchar_t *old = NULL, *next = NULL;
  DWORD type = REG_EXPAND_SZ;
  int rc = 1;
  e = read_path(key, &old, &type);
  if (e != ERROR_SUCCESS) { say((DWORD)e, L"%ls: cannot read the machine PATH", verb); goto out; }
  size_t len = wcslen(old);
  next = malloc((len + dlen + 2) * sizeof(wchar_t));
  if (!next) { say(ERROR_OUTOFMEMORY, L"%ls: out of memory", verb); goto out; }
  /* Walk the entries: copy every one that is not ours, joined with ';' as they were. */
  size_t o = 0, found = 0;
  BOOL first = TRUE;
  for (const wchar_t *p = old;;) {
    const wchar_t *semi = wcschr(p, L';');
    size_t n = semi ? (size_t)(semi - p) : wcslen(p);
    if (same_entry(p, n, dir, dlen)) found++;
    else {
      if (!first) next[o++] = L';';
      wmemcpy(next + o, p, n);
      o += n;
      first = FALSE;
    }
    if (!semi) break;
    p = semi + 1;
  }
  next[o] = 0;
  if (add) {
    if (found > 0) { say(0, L"%ls: %ls is already on the machine PATH; nothing to do", verb, dir); rc = 0; goto out; }
    o = len;
    wmemcpy(next, old, len);
    if (len > 0 && old[len - 1] != L';') next[o++] = L';';
    wmemcpy(next + o, dir, dlen);
    o += dlen;
    next[o] = 0;
    if (o > ENV_CAP) {
      say(0, L"%ls: the machine PATH would be %lu characters, more than Windows allows (%d); it is not changed. "
             L"Run the CLI as %ls\\%ls", verb, (unsigned long)o, ENV_CAP, dir, CLI_NAME);
      goto out;
    }
  } else if (found == 0) {
    say(0, L"%ls: %ls is not on the machine PATH; nothing to do", verb, dir);
    rc = 0;
    goto out;
  }
  e = RegSetValueExW(key, L"Path", 0, type, (const BYTE *)next, (DWORD)((o + 1) * sizeof(wchar_t)));
  if (e != ERROR_SUCCESS) { say((DWORD)e, L"%ls: cannot write the machine PATH", verb); goto out; }
  say(0, L"%ls: %ls %ls %ls the machine PATH (%ls, %lu characters)", verb, add ? L"added" : L"removed", dir,
      add ? L"to" : L"from", type == REG_EXPAND_SZ ? L"REG_EXPAND_SZ" : L"REG_SZ", (unsigned long)o);
  rc = 0;
out:
  free(old);
  free(next);
  RegCloseKey(key);
  return rc;
}

/* ---------------------------------------------------------------- run (under the SCM) */

static void report(DWORD state, DWORD specific_exit, DWORD wait_hint) {
  EnterCriticalSection(&g_status_lock);
  g_status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  g_status.dwCurrentState = state;
  g_status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  g_status.dwWin32ExitCode = specific_exit ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
  g_status.dwServiceSpecificExitCode = specific_exit;
  g_status.dwCheckPoint = (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : g_status.dwCheckPoint + 1;
  g_status.dwWaitHint = wait_hint;
  SetServiceStatus(g_status_handle, &g_status);
  LeaveCriticalSection(&g_status_lock);
}

static DWORD WINAPI control_handler(DWORD control, DWORD type, LPVOID data, LPVOID ctx) {
  (void)type; (void)data; (void)ctx;
  switch (control) {
  case SERVICE_CONTROL_STOP:
  case SERVICE_CONTROL_SHUTDOWN:
    report(SERVICE_STOP_PENDING, 0, 5000);
    SetEvent(g_stop_event);
    return NO_ERROR;
  case SERVICE_CONTROL_INTERROGATE:
    return NO_ERROR;
  default:
    return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

/* Start the child suspended, put it in the job, then let it run. Returns its process handle or NULL. */
static HANDLE start_child(const wchar_t *exe, HANDLE job) {
  wchar_t cmd[PATH_CAP + 4];
  _snwprintf(cmd, PATH_CAP + 4, L"\"%ls\"", exe);
  cmd[PATH_CAP + 3] = 0;
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  HANDLE nul_in = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
  HANDLE nul_out = CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
  STARTUPINFOW si = { 0 };
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = nul_in;
  si.hStdOutput = nul_out;
  si.hStdError = nul_out;
  PROCESS_INFORMATION pi = { 0 };
  BOOL ok = CreateProcessW(exe, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT,
                           NULL, NULL, &si, &pi);
  DWORD err = GetLastError();
  if (nul_in != INVALID_HANDLE_VALUE) CloseHandle(nul_in);
  if (nul_out != INVALID_HANDLE_VALUE) CloseHandle(nul_out);
  if (!ok) { SetLastError(err); return NULL; }
  if (!AssignProcessToJobObject(job, pi.hProcess)) {
    err = GetLastError();
    TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    SetLastError(err);
    return NULL;
  }
  ResumeThread(pi.hThread);
  CloseHandle(pi.hThread);
  return pi.hProcess;
}

static DWORD supervise(void) {
  wchar_t exe[PATH_CAP];
  if (!own_path(exe, PATH_CAP)) return EXIT_HOST_ERROR;
  wchar_t *slash = wcsrchr(exe, L'\\');
  if (!slash || (size_t)(slash + 1 - exe) + wcslen(CHILD_NAME) + 1 > PATH_CAP) return EXIT_HOST_ERROR;
  wcscpy(slash + 1, CHILD_NAME);
  if (GetFileAttributesW(exe) == INVALID_FILE_ATTRIBUTES) return EXIT_CHILD_MISSING;
  HANDLE job = CreateJobObjectW(NULL, NULL);
  if (!job) return EXIT_HOST_ERROR;
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION lim = { 0 };
  lim.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &lim, sizeof lim)) { CloseHandle(job); return EXIT_HOST_ERROR; }
  DWORD backoff = 1000, quick_fails = 0, result = 0;
  BOOL running_reported = FALSE;
  for (;;) {
    ULONGLONG started = GetTickCount64();
    HANDLE child = start_child(exe, job);
    if (!child && !running_reported) { result = EXIT_CHILD_START_FAILED; break; } /* never ran: no point retrying */
    if (child && !running_reported) { report(SERVICE_RUNNING, 0, 0); running_reported = TRUE; }
    if (child) {
      HANDLE both[2] = { g_stop_event, child };
      DWORD w = WaitForMultipleObjects(2, both, FALSE, INFINITE);
      CloseHandle(child);
      if (w != WAIT_OBJECT_0 + 1) break; /* stop requested (or wait failed): leave and kill the job */
    }
    if (GetTickCount64() - started < QUICK_MS) quick_fails++;
    else { quick_fails = 0; backoff = 1000; }
    if (quick_fails >= MAX_QUICK_FAILS) { result = EXIT_CHILD_FAILING; break; }
    if (WaitForSingleObject(g_stop_event, backoff) != WAIT_TIMEOUT) break;
    backoff = backoff * 2 > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : backoff * 2;
  }
  TerminateJobObject(job, 1);
  CloseHandle(job);
  return result;
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv) {
  (void)argc; (void)argv;
  g_status_handle = RegisterServiceCtrlHandlerExW(SERVICE_NAME, control_handler, NULL);
  if (!g_status_handle) return;
  report(SERVICE_START_PENDING, 0, 5000);
  g_stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
  DWORD result = g_stop_event ? supervise() : EXIT_HOST_ERROR;
  report(SERVICE_STOPPED, result, 0);
}

static int do_run(void) {
  SERVICE_TABLE_ENTRYW table[] = { { (LPWSTR)SERVICE_NAME, service_main }, { NULL, NULL } };
  InitializeCriticalSection(&g_status_lock);
  if (StartServiceCtrlDispatcherW(table)) return 0;
  DWORD e = GetLastError();
  say(e, e == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT ? L"run: only the Service Control Manager starts this; use `sc start %ls`"
                                                      : L"run: cannot connect to the Service Control Manager (%ls)", SERVICE_NAME);
  return 2;
}

int wmain(int argc, wchar_t **argv) {
  if (argc == 2 && wcscmp(argv[1], L"install") == 0) return do_install();
  if (argc == 2 && wcscmp(argv[1], L"uninstall") == 0) return do_uninstall();
  if (argc == 2 && wcscmp(argv[1], L"run") == 0) return do_run();
  if (argc == 2 && wcscmp(argv[1], L"path-add") == 0) return do_path(TRUE);
  if (argc == 2 && wcscmp(argv[1], L"path-remove") == 0) return do_path(FALSE);
  say(0, L"usage: longhaul-service install | uninstall | run | path-add | path-remove   (run is for the Service Control Manager only)");
  return 2;
}
