/**
 * The main window's options as a plain object (asserted by unit tests; the shell passes it to BrowserWindow).
 * Environment: any.
 */
export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  enableBlinkFeatures: '';
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  devTools: boolean;
}

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: true;
  webPreferences: HardenedWebPreferences;
}

export function mainWindowOptions(opts: { preloadPath: string; development: boolean; dark: boolean }): MainWindowOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 760,
    minHeight: 540,
    show: false,
    title: 'Longhaul',
    backgroundColor: opts.dark ? '#14161a' : '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: opts.development,
    },
  };
}
