// DefaultBinder (Bind): POST pods/NAME/binding. The scheduler component
// performs it through its apiserver client; this plugin is what the profile
// names, so it can be replaced or disabled like upstream's.
import type { PluginFactory } from '../framework/registry';

export const DEFAULT_BINDER = 'DefaultBinder';

export const newDefaultBinder: PluginFactory = () => ({ name: DEFAULT_BINDER });
