import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startEventBridge } from './store/events';
import { useApp } from './store/app';
import './styles.css';

useApp.getState().setPage(useApp.getState().page);
void startEventBridge();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
