// kubectl create deployment|namespace, kubectl run and kubectl expose, after
// staging/src/k8s.io/kubectl/pkg/cmd/create/create_deployment.go,
// create_namespace.go, run/run.go and expose/expose.go: the object kubectl
// builds, created with the apply verb (after checking it does not exist,
// since apply would replace it).
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Container, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { isDNS1123Subdomain } from '../../sim/api/names';
import type { KubeObject } from '../../sim/api/types';
import { findResource, groupResource, kindPrefix } from '../resources';
import { KubectlError, errorLine } from '../result';
import type { Command, CommandContext } from './command';
import { applyObject } from './mutate';
import { oneObject } from './objects';

function mustNotExist(ctx: CommandContext, plural: string, name: string, wrap?: string): void {
  const r = findResource(plural)!;
  if (ctx.reader.get(r, r.info.namespaced ? ctx.namespace : undefined, name)) {
    const msg = `${groupResource(r)} ${JSON.stringify(name)} already exists`;
    throw new KubectlError(wrap ? `error: ${wrap}: ${msg}` : `Error from server (AlreadyExists): ${msg}`);
  }
}

/** create_deployment.go buildPodSpec: a container per image, named after the image's last path element. */
function containerName(image: string): string {
  let name = image.split('/').pop() ?? image;
  name = name.split(':')[0].split('@')[0];
  return name.replace(/_/g, '-');
}

function createDeployment(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const name = ctx.args[0];
  if (!name) throw errorLine('exactly one NAME is required, got 0\nSee \'kubectl create deployment -h\' for help and examples');
  if (ctx.args.length > 1) throw errorLine(`exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create deployment -h' for help and examples`);
  if (!ctx.flags.has('image')) throw errorLine('required flag(s) "image" not set');
  const image = ctx.flags.str('image');
  const labels = { app: name };
  const container: Container = { name: containerName(image), image, resources: {} };
  const port = ctx.flags.int('port', -1);
  if (port >= 0) container.ports = [{ containerPort: port }];
  const d: Deployment & KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ctx.namespace, labels },
    spec: {
      replicas: ctx.flags.int('replicas', 1),
      selector: { matchLabels: labels },
      strategy: {},
      template: { metadata: { labels }, spec: { containers: [container] } },
    },
  };
  mustNotExist(ctx, 'deployments', name, 'failed to create deployment');
  applyObject(ctx, d);
  ctx.inv.println(`deployment.apps/${name} created`);
}

function createNamespace(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const name = ctx.args[0];
  if (!name || ctx.args.length > 1) throw errorLine(`exactly one NAME is required, got ${ctx.args.length}\nSee 'kubectl create namespace -h' for help and examples`);
  mustNotExist(ctx, 'namespaces', name);
  applyObject(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {} });
  ctx.inv.println(`namespace/${name} created`);
}

export const createCommand: Command = {
  name: 'create',
  group: 'Basic Commands (Beginner)',
  short: 'Create a resource from a file or from stdin',
  usage: 'kubectl create -f FILENAME [options]',
  examples: ['# Create a deployment named my-dep that runs the busybox image\n  kubectl create deployment my-dep --image=busybox'],
  flags: [{ name: 'filename', shorthand: 'f', type: 'string', usage: 'Filename, directory, or URL to files to use to create the resource' }],
  run: (ctx) => {
    if (!ctx.flags.has('filename')) throw errorLine('must specify one of -f and -k');
    throw errorLine(`the path ${JSON.stringify(ctx.flags.str('filename'))} cannot be read: this kubectl runs inside the simulation, which has no files; use "kubectl apply -f -" to open the YAML editor`);
  },
  subcommands: [
    {
      name: 'deployment',
      aliases: ['deploy'],
      short: 'Create a deployment with the specified name',
      usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]',
      examples: ['# Create a deployment named my-dep that runs the nginx image with 3 replicas\n  kubectl create deployment my-dep --image=nginx --replicas=3'],
      flags: [
        { name: 'image', type: 'string', usage: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
        { name: 'port', type: 'int', default: '-1', usage: 'The containerPort that this deployment exposes.' },
        { name: 'replicas', shorthand: 'r', type: 'int', default: '1', usage: 'Number of replicas to create. Default is 1.' },
      ],
      run: createDeployment,
    },
    {
      name: 'namespace',
      aliases: ['ns'],
      short: 'Create a namespace with the specified name',
      usage: 'kubectl create namespace NAME [--dry-run=server|client|none] [options]',
      flags: [],
      run: createNamespace,
    },
  ],
};

/** run.go: a bare Pod labelled run=NAME, its one container named NAME. */
function run(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const name = ctx.args[0];
  if (!name) throw errorLine("NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (!ctx.flags.has('image')) throw errorLine('required flag(s) "image" not set');
  const nameErrs = isDNS1123Subdomain(name);
  if (nameErrs.length) throw errorLine(`invalid pod name ${JSON.stringify(name)}: ${nameErrs.join('; ')}`);
  let labels: Record<string, string> = { run: name };
  if (ctx.flags.has('labels')) {
    labels = {};
    for (const pair of ctx.flags.str('labels').split(',')) {
      const [k, v, extra] = pair.split('=');
      if (v === undefined || extra !== undefined || !k) throw errorLine(`unexpected label spec: ${pair}`);
      labels[k] = v;
    }
  }
  const restart = ctx.flags.str('restart', 'Always');
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw errorLine(`invalid restart policy: ${restart}`);
  const container: Container = { name, image: ctx.flags.str('image'), resources: {} };
  const rest = ctx.args.slice(1);
  if (rest.length) {
    if (ctx.flags.bool('command')) container.command = rest;
    else container.args = rest;
  }
  const port = ctx.flags.int('port', -1);
  if (port >= 0) container.ports = [{ containerPort: port }];
  const pod: Pod & KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ctx.namespace, labels },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart as 'Always' },
  };
  mustNotExist(ctx, 'pods', name);
  applyObject(ctx, pod);
  ctx.inv.println(`pod/${name} created`);
}

export const runCommand: Command = {
  name: 'run',
  group: 'Basic Commands (Beginner)',
  short: 'Run a particular image on the cluster',
  usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  examples: ['# Start a nginx pod\n  kubectl run nginx --image=nginx'],
  flags: [
    { name: 'command', type: 'bool', default: 'false', usage: 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.' },
    { name: 'image', type: 'string', usage: 'The image for the container to run.' },
    { name: 'labels', shorthand: 'l', type: 'string', usage: 'Comma separated labels to apply to the pod. Will override previous values.' },
    { name: 'port', type: 'int', default: '-1', usage: "The port that this container exposes." },
    { name: 'restart', type: 'string', default: 'Always', usage: "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].", values: ['Always', 'OnFailure', 'Never'] },
  ],
  run,
};

const EXPOSABLE = ['Pod', 'Service', 'Deployment', 'ReplicaSet'];

/** The pod selector of what is exposed (MapBasedSelectorForObject). */
function selectorOf(obj: KubeObject): Record<string, string> {
  if (obj.kind === 'Pod') {
    const labels = obj.metadata.labels ?? {};
    if (Object.keys(labels).length === 0) throw errorLine(`couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed`);
    return labels;
  }
  if (obj.kind === 'Service') {
    const sel = (obj.spec as Service['spec'])?.selector;
    if (!sel) throw errorLine(`couldn't retrieve selectors via --selector flag or introspection: the service has no pod selector set`);
    return sel;
  }
  const sel = (obj.spec as Deployment['spec'])?.selector;
  if (sel?.matchExpressions?.length) throw errorLine(`couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
  return { ...sel?.matchLabels };
}

/** PortsForObject: the container ports of the pods it would select. */
function portsOf(obj: KubeObject): Array<{ port: number; protocol: string }> {
  if (obj.kind === 'Service') return ((obj.spec as Service['spec'])?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  const spec = obj.kind === 'Pod' ? (obj.spec as Pod['spec']) : (obj.spec as Deployment['spec'])?.template?.spec;
  return (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

function expose(ctx: CommandContext): void {
  ctx.inv.requireServer();
  if (ctx.args.length === 0) throw errorLine("You must provide one or more resources by argument or filename.\nSee 'kubectl expose -h' for help and examples");
  const { obj } = oneObject(ctx, EXPOSABLE, (r) => `cannot expose a ${r.info.kind}${r.info.group ? `.${r.info.group}` : ''}`);
  const selector = selectorOf(obj);
  let ports: Array<{ port: number; protocol: string }>;
  if (ctx.flags.has('port')) {
    const port = Number(ctx.flags.str('port'));
    if (!Number.isInteger(port)) throw errorLine(`strconv.Atoi: parsing ${JSON.stringify(ctx.flags.str('port'))}: invalid syntax`);
    ports = [{ port, protocol: ctx.flags.str('protocol') || portsOf(obj).find((p) => p.port === port)?.protocol || 'TCP' }];
  } else {
    ports = portsOf(obj);
    if (ports.length === 0) throw errorLine("couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
  }
  const name = ctx.flags.str('name') || obj.metadata.name!.slice(0, 63);
  const target = ctx.flags.str('target-port');
  const servicePorts: ServicePort[] = ports.map((p, i) => ({
    ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
    port: p.port,
    protocol: (ctx.flags.str('protocol') || p.protocol) as ServicePort['protocol'],
    targetPort: target ? (/^\d+$/.test(target) ? Number(target) : target) : p.port,
  }));
  const svc: Service & KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ctx.namespace, ...(obj.metadata.labels ? { labels: { ...obj.metadata.labels } } : {}) },
    spec: { ports: servicePorts, selector, ...(ctx.flags.has('type') ? { type: ctx.flags.str('type') as 'ClusterIP' } : {}) },
  };
  mustNotExist(ctx, 'services', name);
  applyObject(ctx, svc);
  ctx.inv.println(`${kindPrefix('Service')}/${name} exposed`);
}

export const exposeCommand: Command = {
  name: 'expose',
  group: 'Basic Commands (Beginner)',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  examples: ['# Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose deployment nginx --port=80 --target-port=8000'],
  flags: [
    { name: 'name', type: 'string', usage: 'The name for the newly created object.' },
    { name: 'port', type: 'string', usage: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
    { name: 'protocol', type: 'string', usage: 'The network protocol for the service to be created. Default is \'TCP\'.', values: ['TCP', 'UDP', 'SCTP'] },
    { name: 'target-port', type: 'string', usage: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'type', type: 'string', usage: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.", values: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
  ],
  run: expose,
  completeArgs: { typedNames: ['deployments', 'replicasets', 'pods', 'services'] },
};
