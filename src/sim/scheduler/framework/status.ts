// A plugin's verdict, as upstream's framework.Status: a code and the
// reasons a user reads ("Insufficient cpu").

export type Code =
  | 'Success'
  | 'Error'
  /** The pod does not fit now; preemption or a cluster change may help. */
  | 'Unschedulable'
  /** Preemption cannot help on this node (e.g. node affinity mismatch). */
  | 'UnschedulableAndUnresolvable'
  | 'Wait'
  /** The plugin has nothing to say for this pod; its later extension points are skipped. */
  | 'Skip'
  | 'Pending';

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that returned it (set by the framework). */
  readonly plugin?: string;
}

export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] });

export const status = (code: Code, ...reasons: string[]): Status => ({ code, reasons });
export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const error = (reason: string): Status => ({ code: 'Error', reasons: [reason] });

export const isSuccess = (s: Status | undefined): boolean => s === undefined || s.code === 'Success';
export const isRejection = (s: Status): boolean => s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';

/** Thrown from a plugin's Score for an internal failure (its cycle state missing): the framework reports it as an Error status. */
export class PluginError extends Error {}
