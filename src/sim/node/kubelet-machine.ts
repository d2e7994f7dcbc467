import { setup } from 'xstate';

// The processes of one worker machine as a statechart with two parallel
// regions: the kubelet (running; stopped: the process is down, the machine
// and its containers are up; powered off: the machine is down with
// everything on it) and kube-proxy (running, or gone with the power). A
// network partition is not a state of either: they keep running, their
// requests just never arrive. One actor per node, not one per agent: at
// 5,000 nodes each actor is 20 us of start-up. The pods are data on the
// kubelet, not child actors (see pod-workers.ts): 150,000 actors would not fit.
export type KubeletState = 'running' | 'stopped' | 'poweredOff';
export type KubeProxyState = 'running' | 'stopped';

export type NodeAgentsEvent = { type: 'kubelet.stop' } | { type: 'kubelet.start' } | { type: 'machine.powerOff' } | { type: 'machine.powerOn' };

export const nodeAgentsMachine = setup({
  types: { events: {} as NodeAgentsEvent },
}).createMachine({
  id: 'node-agents',
  type: 'parallel',
  states: {
    kubelet: {
      initial: 'running',
      states: {
        running: { on: { 'kubelet.stop': 'stopped', 'machine.powerOff': 'poweredOff' } },
        stopped: { on: { 'kubelet.start': 'running', 'machine.powerOff': 'poweredOff' } },
        // Power comes back with the kubelet enabled: systemd starts it at boot.
        poweredOff: { on: { 'machine.powerOn': 'running' } },
      },
    },
    kubeProxy: {
      initial: 'running',
      states: {
        running: { on: { 'machine.powerOff': 'stopped' } },
        stopped: { on: { 'machine.powerOn': 'running' } },
      },
    },
  },
});

export type NodeAgentsSnapshotValue = { kubelet: KubeletState; kubeProxy: KubeProxyState };
