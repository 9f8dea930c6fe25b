import { useEffect } from 'react';
import { AppFrame } from './components/AppFrame';
import { DropTarget } from './components/DropTarget';
import { ChecksPage } from './pages/ChecksPage';
import { ConnectPage } from './pages/ConnectPage';
import { DiagnosticsPage } from './pages/DiagnosticsPage';
import { HomePage } from './pages/HomePage';
import { SettingsPage } from './pages/SettingsPage';
import { StreamPage } from './pages/StreamPage';
import { useApp, type PageId } from './store/app';

const PAGE_COMPONENTS: Record<PageId, () => React.JSX.Element> = {
  home: HomePage,
  connect: ConnectPage,
  checks: ChecksPage,
  stream: StreamPage,
  diagnostics: DiagnosticsPage,
  settings: SettingsPage,
};

export function App() {
  const page = useApp((s) => s.page);
  const theme = useApp((s) => s.theme);
  useEffect(() => {
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', apply);
    return () => mq.removeEventListener('change', apply);
  }, [theme]);
  const Page = PAGE_COMPONENTS[page];
  return (
    <AppFrame>
      <Page />
      <DropTarget />
    </AppFrame>
  );
}
