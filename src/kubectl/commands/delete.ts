// kubectl delete, after staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go:
// the scenario's delete verb (background cascade, as kubectl's default)
// for each object named or selected, printed as
// `pod "web" deleted from default namespace` (kubectl 1.33+).
import { kindPrefix } from '../resources';
import { KubectlError, errorLine } from '../result';
import { SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { failureOf } from './mutate';
import { namedObjects } from './objects';

function runDelete(ctx: CommandContext): void {
  const all = ctx.flags.bool('all');
  if (all && ctx.flags.has('selector')) throw errorLine('cannot set --all and --selector at the same time');
  const items = namedObjects(ctx, ctx.args, { allowSelector: true, continueOnError: true, ignoreNotFound: ctx.flags.bool('ignore-not-found') });
  for (const { obj } of items) {
    const name = obj.metadata.name!;
    const failure = failureOf(ctx.inv.act({ action: 'delete', kind: obj.kind, name, namespace: obj.metadata.namespace }));
    if (failure) throw new KubectlError(failure);
    const where = obj.metadata.namespace ? ` from ${obj.metadata.namespace} namespace` : '';
    ctx.inv.println(`${kindPrefix(obj.kind)} ${JSON.stringify(name)} deleted${where}`);
  }
  // A selector or --all that matched nothing.
  if (items.length === 0 && (ctx.flags.has('selector') || all)) ctx.inv.println('No resources found');
}

export const deleteCommand: Command = {
  name: 'delete',
  group: 'Basic Commands (Intermediate)',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
  examples: ['# Delete a pod with minimal delay\n  kubectl delete pod foo', '# Delete pods and services with label name=myLabel\n  kubectl delete pods,services -l name=myLabel'],
  flags: [
    { name: 'all', type: 'bool', default: 'false', usage: 'Delete all resources, in the namespace of the specified resource types.' },
    { name: 'ignore-not-found', type: 'bool', default: 'false', usage: 'Treat "resource not found" as a successful delete.' },
    SELECTOR_FLAG,
  ],
  run: runDelete,
  completeArgs: 'resources',
};
