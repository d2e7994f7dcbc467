import { cloudCluster, node, getNode } from './src/sim/cloud/testing';
const c = cloudCluster([node('node-1'), node('node-2')]);
c.runUntil(45_000);
console.log(c.act({ action: 'apply', manifests: [node('node-3')] }));
const seen = new Map<string, string>();
c.subscribe(() => {});
for (let t = 45_000; t <= 56_000; t += 1) {
  c.runUntil(t);
  const n = getNode(c, 'node-3');
  const s = JSON.stringify([n?.spec?.podCIDR, n?.status?.conditions?.filter((x) => x.type === 'Ready' || x.type === 'NetworkUnavailable').map((x) => `${x.type}=${x.status}/${x.reason}/${x.message}`), (n?.spec?.taints ?? []).map((x) => x.key + ':' + x.effect), c.nodes.view('node-3')?.podCIDR]);
  if (seen.get('n') !== s) { console.log(t, s); seen.set('n', s); }
}
console.log(c.trace().filter((m) => m.t >= 45_000 && m.t < 56_000 && (m.from === 'kubelet/node-3' || m.to === 'cloud' || m.key === 'node-3')).map((m) => `${m.t} ${m.from} ${m.verb} ${m.resource} ${m.key} ${m.ok}`).join('\n'));
const evs = (c.apiserver.client('x').list('Event') as any).items.filter((e: any) => e.involvedObject.name === 'node-3');
for (const e of evs) console.log(e.reason, e.message, e.count, e.source?.component, e.lastTimestamp);
