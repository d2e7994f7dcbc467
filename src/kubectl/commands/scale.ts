// kubectl scale, after staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go:
// the scenario's scale verb for each Deployment or ReplicaSet named, printed
// as "deployment.apps/web scaled".
import { groupResource, kindPrefix } from '../resources';
import { KubectlError, errorLine } from '../result';
import { SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { failureOf } from './mutate';
import { namedObjects } from './objects';

const SCALABLE = new Set(['Deployment', 'ReplicaSet']);

function scale(ctx: CommandContext): void {
  if (!ctx.flags.has('replicas')) throw errorLine('required flag(s) "replicas" not set');
  const replicas = ctx.flags.int('replicas', -1);
  if (replicas < 0) throw errorLine('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  for (const { resource, obj } of namedObjects(ctx, ctx.args, { allowSelector: true, continueOnError: true })) {
    const name = obj.metadata.name!;
    if (!SCALABLE.has(obj.kind)) {
      ctx.inv.fail(`error: cannot scale ${groupResource(resource)}/${name}: the server could not find the requested resource`);
      continue;
    }
    const failure = failureOf(ctx.inv.act({ action: 'scale', kind: obj.kind, name, namespace: obj.metadata.namespace, replicas }));
    if (failure) throw new KubectlError(failure);
    ctx.inv.println(`${kindPrefix(obj.kind)}/${name} scaled`);
  }
}

export const scaleCommand: Command = {
  name: 'scale',
  group: 'Deploy Commands',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  examples: ['# Scale a deployment named \'web\' to 3\n  kubectl scale --replicas=3 deployment/web'],
  flags: [
    { name: 'all', type: 'bool', default: 'false', usage: 'Select all resources in the namespace of the specified resource types' },
    { name: 'replicas', type: 'int', default: '0', usage: 'The new desired number of replicas. Required.' },
    SELECTOR_FLAG,
  ],
  run: scale,
  completeArgs: { typedNames: ['deployments', 'replicasets'] },
};
