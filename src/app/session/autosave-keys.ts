// Where the autosave lives in localStorage: apart from autosave.ts so the
// page's entry can read it before the app's bundle has loaded.
export const AUTOSAVE_KEY = 'kubeviz.session.v1';
export const AUTOSAVE_SCENARIO_KEY = 'kubeviz.session.v1.scenario';
