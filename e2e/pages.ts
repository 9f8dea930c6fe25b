export const PAGES_FOR_TESTS = [
  { id: 'home', label: 'Home' },
  { id: 'connect', label: 'Connect' },
  { id: 'checks', label: 'Checks' },
  { id: 'stream', label: 'Stream' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'settings', label: 'Settings' },
] as const;
