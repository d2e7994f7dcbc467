// The command tree kubectl's root command builds (staging/src/k8s.io/kubectl/pkg/cmd/cmd.go),
// as far as this simulated kubectl implements it.
import { annotateCommand, labelCommand } from './label';
import { applyCommandWith } from './apply';
import type { Command } from './command';
import { createCommand, exposeCommand, runCommand } from './create';
import { deleteCommand } from './delete';
import { describeCommand } from './describe';
import { getCommand } from './get';
import { apiResourcesCommand, clusterInfoCommand, configCommand, versionCommand } from './info';
import { logsCommand } from './logs';
import { execCommand } from './exec';
import { cordonCommand, drainCommand, uncordonCommand } from './nodes';
import { rolloutCommand } from './rollout';
import { scaleCommand } from './scale';
import { setCommand } from './set';
import { taintCommand } from './taint';
import { topCommand } from './top';

/** The commands; `apply` reads the stdin it is given. */
export function commands(stdin?: string): Command[] {
  return [
    createCommand,
    exposeCommand,
    runCommand,
    setCommand,
    getCommand,
    deleteCommand,
    rolloutCommand,
    scaleCommand,
    clusterInfoCommand,
    cordonCommand,
    uncordonCommand,
    drainCommand,
    taintCommand,
    topCommand,
    describeCommand,
    logsCommand,
    execCommand,
    applyCommandWith(stdin),
    labelCommand,
    annotateCommand,
    apiResourcesCommand,
    configCommand,
    versionCommand,
  ];
}

/** The groups of `kubectl --help`, in upstream's order. */
export const GROUPS = [
  'Basic Commands (Beginner)',
  'Basic Commands (Intermediate)',
  'Deploy Commands',
  'Cluster Management Commands',
  'Troubleshooting and Debugging Commands',
  'Advanced Commands',
  'Settings Commands',
  'Other Commands',
];
