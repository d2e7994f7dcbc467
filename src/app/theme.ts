// Dark by default, light on request; remembered in localStorage. UI state,
// so it lives apart from the cluster store.
export type Theme = 'dark' | 'light';

const KEY = 'kubeviz.theme';

export function savedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private mode or storage disabled: the theme just is not remembered.
  }
}
