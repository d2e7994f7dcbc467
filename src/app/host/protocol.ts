// The messages between the main thread (remote-store.ts) and the
// simulation's Web Worker (sim-server.ts). Everything is structured-cloned.
// The worker owns the simulation and the store that drives it; the main
// thread owns a mirror of that store's view state, fed by patches, and
// sends the user's commands. Replies carry the id of what they answer.
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action } from '../../sim/model';
import type { WireMessage } from '../../sim/kernel/trace';
import type { StartOptions } from '../url-params';
import type { ClusterViewState, FunctionKeys, OpenSessionInput } from '../store/cluster-store';
import type { ConsoleState } from '../store/console-session';
import type { WorkerView } from '../store/worker-views';
import type { BootSource } from '../session/boot';
import type { LaunchInputs } from '../session/launch-inputs';
import type { KeyedDelta } from '../store/keyed-delta';
import type { QueryName } from './queries';

/** The store's methods the main thread calls in the worker, by name (arguments as the store takes them). */
export type CommandName =
  | 'play'
  | 'pause'
  | 'togglePlay'
  | 'setSpeed'
  | 'setFastest'
  | 'speedUp'
  | 'speedDown'
  | 'step'
  | 'stepPoint'
  | 'runToInteresting'
  | 'stepBack'
  | 'seek'
  | 'dismissNotice'
  | 'notify'
  | 'select'
  | 'openEditor'
  | 'closeEditor'
  | 'setInspectorTab'
  | 'setSchedulingMarks'
  | 'showRows';

/** Commands whose effect the main thread has already shown: the worker does not post those fields back. */
export const MAIN_OWNED: Partial<Record<CommandName, readonly (keyof ClusterViewState)[]>> = {
  select: ['selection'],
  openEditor: ['editor'],
  closeEditor: ['editor'],
  setInspectorTab: ['inspectorTab'],
  setSchedulingMarks: ['schedulingMarks'],
};

export type ConsoleCommand = { op: 'run'; line: string } | { op: 'interrupt'; current: string } | { op: 'clear' };

export type ToWorker =
  /**
   * Sent by the page's entry before the app's bundle loads: the worker plans the boot from these inputs as the page
   * will, and builds that session ahead; a 'boot' for the same session then uses it instead of building again.
   */
  | { type: 'prepare'; launch: LaunchInputs }
  | { type: 'boot'; source: BootSource; start: StartOptions }
  | { type: 'command'; name: CommandName; args: unknown[] }
  /** Wall ms since the last advance; answered by a 'state' message with `advanced` set. */
  | { type: 'advance'; wallMs: number }
  | { type: 'query'; id: number; name: QueryName; args: unknown[] }
  | { type: 'act'; id: number; actions: Action[] }
  /** The store's openSession; answered (a reply of null) once the session is built and its state posted. */
  | { type: 'open'; id: number; session: OpenSessionInput }
  | { type: 'console'; command: ConsoleCommand };

/**
 * The view state's plain-data fields the worker posts as they change (the node cards travel as deltas, the
 * wire as new messages). The objects table's rows stay in the worker: the page gets the window it shows (rowWindow).
 */
export type ViewData = Omit<ClusterViewState, FunctionKeys<ClusterViewState> | 'objects' | 'workers' | 'wire' | 'recentWire'>;

export interface StatePatch {
  type: 'state';
  data: Partial<ViewData>;
  workers?: KeyedDelta<WorkerView>;
  /** Wire messages sent since the last patch (oldest first, at most the canvas's window); `traceReset` when the cluster was replaced. */
  trace?: WireMessage[];
  traceReset?: boolean;
  /** Newest first, at most WIRE_LIMIT: the wire list as the worker's store has it. */
  wire?: WireMessage[];
  /** Set on the answer to an advance. */
  advanced?: boolean;
  console?: ConsoleState;
  /**
   * More slices of this patch's node cards follow (a whole list is sent in slices: sim-server.ts CARDS_PER_MESSAGE);
   * the page applies the patch with them, as one change, when the last arrives.
   */
  more?: true;
}

export type FromWorker =
  | StatePatch
  /** 'prepare' arrived: the worker is building the session it names (the page's entry waits for this: see main.tsx). */
  | { type: 'preparing' }
  | { type: 'booted'; saved: string | null; laterNotices: string[] }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'acted'; id: number; outcomes: ActionOutcome[][] };
