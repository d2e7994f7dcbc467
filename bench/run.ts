// npm run bench: one line per figure, `name value unit`. Figures, not
// assertions: compare them with the targets in the README.
import { createCluster } from '../src/sim/cluster';
import type { KubeObject } from '../src/sim/api/types';
import { configMaxModel, configMaxScenario } from './config-max';
import { benchCanvas } from './canvas';
import { bigActions, bigScenario, defaultActions, measureRewind } from './rewind';
import { DEFAULT_SCENARIO_YAML } from '../src/scenario/gallery/default-scenario';

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

function print(name: string, value: number, unit: string): void {
  console.log(`${name} ${value.toFixed(value >= 100 ? 0 : 2)} ${unit}`);
}

/** The gallery's config-max as the app builds it: parse the YAML, then the whole starting cluster. */
function benchBuild(): void {
  const before = heapMB();
  const t0 = performance.now();
  const cluster = createCluster(configMaxScenario());
  const ms = performance.now() - t0;
  const heap = heapMB() - before;
  const objects = cluster.etcd.store.countRange('/registry/pods/') + cluster.etcd.store.countRange('/registry/nodes/');
  print('build_config_max_time', ms / 1000, 's');
  print('build_config_max_heap', heap, 'MB');
  print('build_config_max_objects', objects, 'nodes+pods');
}

/**
 * Status writes through the whole apiserver pipeline with 5,000 node-pinned
 * pod watches. `withScheduler` keeps kube-scheduler running, which watches
 * every pod too (and updates its cache on each event), as in a real cluster.
 */
function benchWrites(withScheduler: boolean): void {
  const nodes = 5000;
  const cluster = createCluster(configMaxModel(nodes, 2));
  // The apiserver alone, with the bench's own 5,000 watchers standing for the kubelets' watches:
  // the real kubelets and controllers would write the same pods (409s) and watch them again.
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  for (let i = 1; i <= nodes; i++) cluster.act({ action: 'stopKubelet', node: `node-${String(i).padStart(4, '0')}` });
  if (!withScheduler) cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
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
  print(withScheduler ? 'apiserver_writes_5000_watchers_and_scheduler' : 'apiserver_writes_5000_watchers', writes / s, 'writes/s');
}

/**
 * scheduler_perf SchedulingBasic 5000Nodes_50000Pods: 5,000 nodes (4 cpu,
 * 32Gi, 110 pods), 5,000 pods already placed, then 50,000 pods (100m, 500Mi)
 * created at once and scheduled. Throughput is pods bound per wall second.
 * Explanation annotations are off, as upstream writes none.
 */
function benchScheduler(nodes = 5000, total = 50_000): void {
  const model = configMaxModel(nodes, 1);
  const pool = model.nodePools[0];
  pool.template = { ...pool.template, status: { capacity: { cpu: '4', memory: '32Gi', pods: '110' } } };
  pool.pods!.template = {
    ...pool.pods!.template,
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
  };
  const cluster = createCluster(model, { schedulerExplainNodes: 0, traceCapacity: 10_000 });
  // As scheduler_perf runs it: an apiserver and the scheduler, no kubelets or controllers.
  cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
  for (let i = 1; i <= nodes; i++) cluster.act({ action: 'stopKubelet', node: `node-${String(i).padStart(String(nodes).length, '0')}` });
  cluster.runUntil(10);
  const kubectl = cluster.apiserver.client('bench');
  for (let i = 0; i < total; i++) {
    const r = kubectl.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'default' },
      spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
    });
    if (!r.ok) throw new Error(r.status.message);
  }
  const t0 = performance.now();
  // The scheduler's watch delivers the new pods, then it cycles until its queue is empty.
  const cyclesBefore = cluster.scheduler.cycles;
  do cluster.runUntil(cluster.now + 100);
  while (cluster.scheduler.cycles === cyclesBefore || cluster.scheduler.pending().length > 0);
  const s = (performance.now() - t0) / 1000;
  const bound = [...cluster.etcd.store.range('/registry/pods/')].filter((kv) => (kv.value as KubeObject & { spec: { nodeName?: string } }).spec.nodeName).length;
  if (bound !== total + nodes) throw new Error(`expected ${total + nodes} bound pods, got ${bound}`);
  print(`scheduler_throughput_${nodes}nodes_${total}pods`, total / s, 'pods/s');
}

/**
 * One simulated hour of the gallery's config-max (5,000 nodes, 150,000 pods,
 * zone-a powered off at 2 min and evicted node by node) with the churn
 * upstream's SLOs assume: 20 pod creations and 20 deletions per second,
 * through the whole cluster (scheduler, kubelets, controllers). Prints wall
 * time and the speed-up over real time.
 */
function benchHour(minutes = 60): void {
  const cluster = createCluster(configMaxScenario(), { schedulerExplainNodes: 0, traceCapacity: 10_000 });
  const client = cluster.apiserver.client('churn');
  const HOUR = minutes * 60_000;
  const live: string[] = [];
  let n = 0;
  const tick = () => {
    // 20 per second: one creation and one deletion every 50 ms.
    const r = client.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `churn-${n++}`, namespace: 'default', labels: { app: 'churn' } },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    });
    if (r.ok) live.push(r.object.metadata.name!);
    if (live.length > 100) client.delete('Pod', 'default', live.shift()!);
    if (cluster.now + 50 < HOUR) cluster.kernel.after(50, 'bench.churn', tick);
  };
  cluster.kernel.after(50, 'bench.churn', tick);
  const t0 = performance.now();
  cluster.runUntil(1000);
  const first = (performance.now() - t0) / 1000;
  for (let t = 60_000; t <= HOUR; t += 60_000) cluster.runUntil(t);
  const s = (performance.now() - t0) / 1000;
  const name = minutes === 60 ? 'config_max_hour' : `config_max_${minutes}min`;
  print(`${name}_first_second_wall`, first, 's');
  print(`${name}_wall`, s, 's');
  print(`${name}_speedup`, HOUR / 1000 / s, 'x real time');
}

/**
 * Rewind (issue 7): seek to a random instant of a one-hour session of the
 * default scenario, from the checkpoints the app builds while idle; then the
 * same for 500 nodes over a shorter session (a simulated hour of 500 nodes
 * takes minutes of wall time; the printed name says how long).
 */
function benchRewind(bigMinutes = Number(process.env.REWIND_BIG_MINUTES ?? 10)): void {
  const d = measureRewind(DEFAULT_SCENARIO_YAML, 3_600_000, 25, defaultActions);
  print('rewind_default_1h_median', d.medianMs, 'ms');
  print('rewind_default_1h_max', d.maxMs, 'ms');
  print('rewind_default_1h_fill', d.fillMs, 'ms');
  console.log(`rewind_default_1h_checkpoints ${d.checkpoints} checkpoints`);
  if (bigMinutes <= 0) return;
  const b = measureRewind(bigScenario(500), bigMinutes * 60_000, 9, bigActions(500));
  const name = bigMinutes === 60 ? 'rewind_500_nodes_1h' : `rewind_500_nodes_${bigMinutes}m`;
  print(`${name}_median`, b.medianMs, 'ms');
  print(`${name}_max`, b.maxMs, 'ms');
  print(`${name}_fill`, b.fillMs, 'ms');
  console.log(`${name}_checkpoints ${b.checkpoints} checkpoints`);
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (!only || only === 'build') benchBuild();
if (!only || only === 'writes') benchWrites(false);
if (!only || only === 'writes') benchWrites(true);
if (!only || only === 'scheduler') benchScheduler();
if (only === 'scheduler-small') benchScheduler(500, 5000);
if (!only || only === 'hour') benchHour();
if (only === 'minutes') benchHour(Number(process.env.BENCH_MINUTES ?? 5));
if (!only || only === 'canvas') await benchCanvas(print);
if (only === 'canvas-config-max') await benchCanvas(print, 'config-max');
if (!only || only === 'rewind') benchRewind();
