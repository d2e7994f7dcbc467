// Entry point: open the default scenario, apply the URL's start options, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './app/store/cluster-store';
import { applyTheme, savedTheme } from './app/theme';
import { readStartOptions } from './app/url-params';
import { DEFAULT_SCENARIO_YAML } from './scenario/gallery/default-scenario';
import { loadScenario } from './scenario/load';
import './app/styles.css';

applyTheme(savedTheme());

const store = createClusterStore({
  open: () => loadScenario(DEFAULT_SCENARIO_YAML, UI_CLUSTER_OPTIONS).cluster,
  start: readStartOptions(window.location.search),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
