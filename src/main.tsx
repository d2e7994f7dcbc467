// Entry point: open the scenario the URL names (?scenario=, else the
// default one), apply the URL's start options, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './app/store/cluster-store';
import { applyTheme, savedTheme } from './app/theme';
import { readScenarioParam, readStartOptions } from './app/url-params';
import { findScenario } from './scenario/gallery';
import { History } from './scenario/history';
import './app/styles.css';

applyTheme(savedTheme());

const start = readStartOptions(window.location.search);
const scenario = findScenario(readScenarioParam(window.location.search));
if (!scenario.ok) start.notices.unshift(scenario.notice);

const store = createClusterStore({
  open: () => new History(scenario.entry.yaml, UI_CLUSTER_OPTIONS),
  start,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
