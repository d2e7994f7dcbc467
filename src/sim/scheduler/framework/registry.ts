// How plugins are built: each plugin file exports a factory that takes the
// plugin's args from KubeSchedulerConfiguration (pluginConfig[].args, or
// undefined for defaults) and the framework handle.
import type { Handle, Plugin } from './types';

export type PluginArgs = Record<string, unknown> | undefined;

export type PluginFactory = (args: PluginArgs, handle: Handle) => Plugin;

/** Thrown by a factory for bad args; the message names the field, as upstream's validation does. */
export class PluginArgsError extends Error {}
