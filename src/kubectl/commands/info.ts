// kubectl version, cluster-info, api-resources and config current-context,
// after staging/src/k8s.io/kubectl/pkg/cmd/version, clusterinfo,
// apiresources and config. The client is kubectl v1.34.0 (with its bundled
// Kustomize); the server is the simulated kube-apiserver at 10.0.0.1:6443.
import { GET_TABLE, tabbed } from '../tabwriter';
import { byString } from '../humanize';
import { KUBECTL_RESOURCES } from '../resources';
import { KubectlError } from '../result';
import type { Command, CommandContext } from './command';

export const CLIENT_VERSION = 'v1.34.0';
const KUSTOMIZE_VERSION = 'v5.7.1';
const SERVER = 'https://10.0.0.1:6443';
const CONNECTION_REFUSED = 'The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?';

function version(ctx: CommandContext): void {
  ctx.inv.println(`Client Version: ${CLIENT_VERSION}`);
  ctx.inv.println(`Kustomize Version: ${KUSTOMIZE_VERSION}`);
  if (ctx.flags.bool('client')) return;
  if (!ctx.cluster.apiserver.running) throw new KubectlError(CONNECTION_REFUSED);
  ctx.inv.println(`Server Version: ${CLIENT_VERSION}`);
}

export const versionCommand: Command = {
  name: 'version',
  group: 'Other Commands',
  short: 'Print the client and server version information',
  usage: 'kubectl version [flags] [options]',
  flags: [{ name: 'client', type: 'bool', default: 'false', usage: 'If true, shows client version only (no server required).' }],
  run: version,
};

export const clusterInfoCommand: Command = {
  name: 'cluster-info',
  group: 'Cluster Management Commands',
  short: 'Display cluster information',
  usage: 'kubectl cluster-info [flags] [options]',
  flags: [],
  run: (ctx) => {
    ctx.inv.requireServer();
    ctx.inv.println(`Kubernetes control plane is running at ${SERVER}`);
    ctx.inv.println('');
    ctx.inv.println("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
  },
};

/** The default order: by group (core first), then by name. */
function apiResources(ctx: CommandContext): void {
  ctx.inv.requireServer();
  const namespaced = ctx.flags.has('namespaced') ? ctx.flags.bool('namespaced') : undefined;
  const rows = KUBECTL_RESOURCES.filter((r) => namespaced === undefined || r.info.namespaced === namespaced).sort(
    (a, b) => byString(a.info.group, b.info.group) || byString(a.plural, b.plural),
  );
  if (ctx.flags.str('output') === 'name') {
    for (const r of rows) ctx.inv.println(r.info.group ? `${r.plural}.${r.info.group}` : r.plural);
    return;
  }
  ctx.inv.print(
    tabbed(GET_TABLE, (w) => {
      if (!ctx.flags.bool('no-headers')) w.write('NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n');
      for (const r of rows) w.write(`${r.plural}\t${r.shortNames.join(',')}\t${r.info.apiVersion}\t${r.info.namespaced}\t${r.info.kind}\n`);
    }),
  );
}

export const apiResourcesCommand: Command = {
  name: 'api-resources',
  group: 'Other Commands',
  short: 'Print the supported API resources on the server',
  usage: 'kubectl api-resources [flags] [options]',
  flags: [
    { name: 'namespaced', type: 'bool', default: 'true', usage: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
    { name: 'no-headers', type: 'bool', default: 'false', usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', shorthand: 'o', type: 'string', usage: 'Output format. One of: (wide, name).', values: ['name'] },
  ],
  run: apiResources,
};

export const configCommand: Command = {
  name: 'config',
  group: 'Other Commands',
  short: 'Modify kubeconfig files',
  usage: 'kubectl config SUBCOMMAND [options]',
  flags: [],
  subcommands: [
    {
      name: 'current-context',
      short: 'Display the current-context',
      usage: 'kubectl config current-context [options]',
      flags: [],
      run: (ctx) => ctx.inv.println('kubeviz'),
    },
  ],
};
