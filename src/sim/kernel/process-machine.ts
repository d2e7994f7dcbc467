import { setup } from 'xstate';

/** The events that stop and start a control-plane process (stopComponent / startComponent). */
export type ProcessEvent = { type: 'component.stop' } | { type: 'component.start' };

/**
 * A control-plane process's lifecycle: running or stopped. The work each
 * component does is data on it, advanced by its own code; this statechart
 * is whether the process is there at all.
 */
export function processMachine(id: string) {
  return setup({ types: { events: {} as ProcessEvent } }).createMachine({
    id,
    initial: 'running',
    states: {
      running: { on: { 'component.stop': 'stopped' } },
      stopped: { on: { 'component.start': 'running' } },
    },
  });
}
