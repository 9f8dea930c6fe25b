export const PAGES_FOR_TESTS = [
  { id: 'connect', label: 'Connect' },
  { id: 'checks', label: 'Checks' },
  { id: 'stream', label: 'Stream' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'settings', label: 'Settings' },
] as const;
