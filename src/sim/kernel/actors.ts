import { createActor, type Actor, type AnyActorLogic, type InputFrom } from 'xstate';
import type { Kernel } from './kernel';

/**
 * The clock XState's scheduler uses for delayed events (`after`), backed by
 * the kernel's queue. Every actor in the simulation is created through
 * startActor below, so none of them ever sees wall time.
 */
export function simClock(kernel: Kernel) {
  return {
    setTimeout(fn: (...args: unknown[]) => void, timeout: number) {
      return kernel.after(timeout, 'xstate.delay', () => fn());
    },
    clearTimeout(id: unknown) {
      kernel.cancel(id as ReturnType<Kernel['after']>);
    },
  };
}

/** An actor on the simulation clock, not yet started (for peers that must all exist before any acts). */
export function createSimActor<L extends AnyActorLogic>(
  kernel: Kernel,
  logic: L,
  options: { systemId: string; input: InputFrom<L> },
): Actor<L> {
  return createActor(logic, { clock: simClock(kernel), systemId: options.systemId, input: options.input } as never) as Actor<L>;
}

export function startActor<L extends AnyActorLogic>(
  kernel: Kernel,
  logic: L,
  options: { systemId: string; input: InputFrom<L> },
): Actor<L> {
  return createSimActor(kernel, logic, options).start();
}
