// npm run bench: one line per figure, `name value unit`. Figures, not
// assertions: compare them with the targets in the README.
import { createCluster } from '../src/sim/cluster';
import type { KubeObject } from '../src/sim/api/types';
import { configMaxModel } from './config-max';

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

function print(name: string, value: number, unit: string): void {
  console.log(`${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}`);
}

function benchBuild(): void {
  const before = heapMB();
  const t0 = performance.now();
  const cluster = createCluster(configMaxModel());
  const ms = performance.now() - t0;
  const heap = heapMB() - before;
  const objects = cluster.etcd.store.countRange('/registry/pods/') + cluster.etcd.store.countRange('/registry/nodes/');
  print('build_config_max_time', ms / 1000, 's');
  print('build_config_max_heap', heap, 'MB');
  print('build_config_max_objects', objects, 'nodes+pods');
}

function benchWrites(): void {
  const nodes = 5000;
  const cluster = createCluster(configMaxModel(nodes, 2));
  const api = cluster.apiserver;
  let delivered = 0;
  for (let i = 1; i <= nodes; i++) {
    const name = `node-${String(i).padStart(4, '0')}`;
    api.watch(`kubelet/${name}`, 'Pod', { fieldSelector: `spec.nodeName=${name}` }, () => delivered++);
  }
  cluster.runUntil(10); // deliver the initial ADDED events
  delivered = 0;
  const pods = [...cluster.etcd.store.range('/registry/pods/')].map((kv) => kv.value as KubeObject);
  const writes = 200_000;
  const client = api.client('bench');
  const t0 = performance.now();
  for (let i = 0; i < writes; i++) {
    const cur = pods[i % pods.length];
    const next = { ...cur, status: { ...(cur.status as object), message: `update ${i}` } };
    const r = client.updateStatus(next);
    if (!r.ok) throw new Error(r.status.message);
    pods[i % pods.length] = r.object;
    // Deliver watch events as the simulation would, every 1,000 writes.
    if (i % 1000 === 999) cluster.runUntil(cluster.now + 2);
  }
  cluster.runUntil(cluster.now + 10);
  const s = (performance.now() - t0) / 1000;
  if (delivered !== writes) throw new Error(`expected ${writes} watch events, got ${delivered}`);
  print('apiserver_writes_5000_watchers', writes / s, 'writes/s');
}

if (!process.argv.includes("--writes-only")) benchBuild();
benchWrites();
