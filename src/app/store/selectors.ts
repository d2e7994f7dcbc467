// Narrow selectors, at module level so their identity is stable. Each
// component reads only what it shows.
import type { ClusterViewState } from './cluster-store';

export const selectLoad = (s: ClusterViewState) => s.load;
export const selectReady = (s: ClusterViewState) => s.ready;
export const selectNow = (s: ClusterViewState) => s.now;
export const selectPlaying = (s: ClusterViewState) => s.playing;
export const selectSpeed = (s: ClusterViewState) => s.speed;
export const selectHalted = (s: ClusterViewState) => s.halted;
export const selectCanStep = (s: ClusterViewState) => s.nextEventAt !== null;
export const selectNextEventAt = (s: ClusterViewState) => s.nextEventAt;
export const selectRevision = (s: ClusterViewState) => s.revision;
export const selectMessageCount = (s: ClusterViewState) => s.messageCount;
export const selectRowWindow = (s: ClusterViewState) => s.rowWindow;
export const selectCounts = (s: ClusterViewState) => s.counts;
export const selectListedCount = (s: ClusterViewState) => s.counts.listed;
export const selectEventCount = (s: ClusterViewState) => s.counts.events;
export const selectEtcd = (s: ClusterViewState) => s.etcd;
export const selectEtcdRoles = (s: ClusterViewState) => s.etcdRoles;
export const selectWorkers = (s: ClusterViewState) => s.workers;
export const selectApiserver = (s: ClusterViewState) => s.apiserver;
export const selectScheduler = (s: ClusterViewState) => s.scheduler;
export const selectControllerManager = (s: ClusterViewState) => s.controllerManager;
export const selectWire = (s: ClusterViewState) => s.wire;
export const selectRecentWire = (s: ClusterViewState) => s.recentWire;
export const selectActions = (s: ClusterViewState) => s.actions;
export const selectNotices = (s: ClusterViewState) => s.notices;
export const selectSelection = (s: ClusterViewState) => s.selection;
export const selectEditor = (s: ClusterViewState) => s.editor;

export const selectPlay = (s: ClusterViewState) => s.play;
export const selectTogglePlay = (s: ClusterViewState) => s.togglePlay;
export const selectSetSpeed = (s: ClusterViewState) => s.setSpeed;
export const selectStep = (s: ClusterViewState) => s.step;
export const selectDismissNotice = (s: ClusterViewState) => s.dismissNotice;
export const selectSelect = (s: ClusterViewState) => s.select;
export const selectOpenEditor = (s: ClusterViewState) => s.openEditor;
export const selectCloseEditor = (s: ClusterViewState) => s.closeEditor;
export const selectAct = (s: ClusterViewState) => s.act;

/** Sim time in whole seconds: ages ("45s") change only this often. */
export const selectNowSecond = (s: ClusterViewState) => Math.floor(s.now / 1000);

// Time controls, the timeline and the scheduling explainer (issue 7).
export const selectFastest = (s: ClusterViewState) => s.fastest;
export const selectAchievedSpeed = (s: ClusterViewState) => s.achievedSpeed;
export const selectSetFastest = (s: ClusterViewState) => s.setFastest;
export const selectStepPoint = (s: ClusterViewState) => s.stepPoint;
export const selectRunToInteresting = (s: ClusterViewState) => s.runToInteresting;
export const selectStepBack = (s: ClusterViewState) => s.stepBack;
export const selectCanStepBack = (s: ClusterViewState) => s.now > 0;
export const selectSeek = (s: ClusterViewState) => s.seek;
export const selectEnd = (s: ClusterViewState) => s.end;
export const selectMarkers = (s: ClusterViewState) => s.markers;
export const selectStopReason = (s: ClusterViewState) => s.stopReason;
export const selectSchedulerCycle = (s: ClusterViewState) => s.scheduler.cycle;
export const selectInspectorTab = (s: ClusterViewState) => s.inspectorTab;
export const selectSetInspectorTab = (s: ClusterViewState) => s.setInspectorTab;
export const selectSetSchedulingMarks = (s: ClusterViewState) => s.setSchedulingMarks;
