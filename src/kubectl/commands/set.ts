// kubectl set image, after staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go:
// CONTAINER=IMAGE pairs ("*" for every container) on the pod template of a
// Deployment, ReplicaSet, DaemonSet or Job, or on a Pod; the object is
// written back with the apply verb. "deployment.apps/web image updated";
// nothing is printed when the images were already those.
import type { PodSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../sim/api/types';
import { objectName } from '../resources';
import { errorLine } from '../result';
import { SELECTOR_FLAG, type Command, type CommandContext } from './command';
import { applyObject, editable } from './mutate';
import { namedObjects } from './objects';

/** UpdatePodSpecForObject: the pod spec a kind carries. */
function podSpecOf(obj: KubeObject): PodSpec | undefined {
  if (obj.kind === 'Pod') return obj.spec as PodSpec;
  if (['Deployment', 'ReplicaSet', 'DaemonSet', 'Job'].includes(obj.kind)) return (obj.spec as { template?: { spec?: PodSpec } })?.template?.spec;
  return undefined;
}

function setImage(ctx: CommandContext): void {
  const resources = ctx.args.filter((a) => !a.includes('='));
  const pairs = ctx.args.filter((a) => a.includes('='));
  const firstPair = ctx.args.findIndex((a) => a.includes('='));
  if (firstPair >= 0 && ctx.args.slice(firstPair).some((a) => !a.includes('='))) throw errorLine(`all resources must be specified before image changes: ${ctx.args.slice(firstPair).find((a) => !a.includes('='))}`);
  if (resources.length === 0) throw errorLine('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (pairs.length === 0) throw errorLine('at least one image update is required');
  const images = new Map(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  if (images.size > 1 && images.has('*')) throw errorLine('all containers are already specified by *, but saw more than one container_name=container_image pairs');
  for (const { obj } of namedObjects(ctx, resources, { allowSelector: true })) {
    const updated = editable(obj);
    const spec = podSpecOf(updated);
    if (!spec) {
      ctx.inv.fail(`error: ${objectName(obj)} the object is not a pod or does not have a pod template: ${obj.kind}`);
      continue;
    }
    let changed = false;
    for (const [name, image] of images) {
      let found = false;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        if (name !== '*' && c.name !== name) continue;
        found = true;
        if (c.image !== image) {
          c.image = image;
          changed = true;
        }
      }
      if (!found) ctx.inv.fail(`error: unable to find container named ${JSON.stringify(name)}`);
    }
    if (!changed) continue;
    applyObject(ctx, updated);
    ctx.inv.println(`${objectName(obj)} image updated`);
  }
}

const imageCommand: Command = {
  name: 'image',
  short: 'Update the image of a pod template',
  usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  examples: ["# Set a deployment's nginx container image to 'nginx:1.9.1'\n  kubectl set image deployment/nginx nginx=nginx:1.9.1"],
  flags: [{ name: 'all', type: 'bool', default: 'false', usage: 'Select all resources, in the namespace of the specified resource types' }, SELECTOR_FLAG],
  run: setImage,
  completeArgs: { typedNames: ['deployments', 'daemonsets', 'replicasets', 'pods'] },
};

export const setCommand: Command = {
  name: 'set',
  group: 'Basic Commands (Beginner)',
  short: 'Set specific features on objects',
  usage: 'kubectl set SUBCOMMAND [options]',
  flags: [],
  subcommands: [imageCommand],
};
