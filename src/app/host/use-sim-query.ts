// A query's result for a component (queries.ts), recomputed when `version`
// changes (etcd's revision, the simulated second, metrics-server's round:
// whatever the view follows). With the cluster on this thread the answer is
// computed during render, as before the worker existed; with the cluster in
// the worker it arrives a moment later, and until then the previous answer
// (for the same query and arguments) stays shown, so nothing flickers. At
// most one request per query is in flight: while the worker is busy, later
// versions collapse into one request.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useClusterStoreApi } from '../store/store-context';
import { runQuery, type QueryArgs, type QueryName, type QueryResult } from './queries';

export function useSimQuery<N extends QueryName>(name: N, args: QueryArgs<N>, version: unknown): QueryResult<N> | null {
  const store = useClusterStoreApi();
  const key = `${name}:${JSON.stringify(args)}`;
  const cluster = store.cluster;
  const local = useMemo(() => {
    void version;
    return cluster ? runQuery(cluster, name, JSON.parse(key.slice(name.length + 1)) as QueryArgs<N>) : null;
  }, [cluster, name, key, version]);

  const [remote, setRemote] = useState<{ key: string; value: QueryResult<N> } | null>(null);
  // What the component wants now, and whether a request is out: read by the request's answer.
  const wanted = useRef({ key, version, asked: null as { key: string; version: unknown } | null, mounted: true });
  wanted.current.key = key;
  wanted.current.version = version;
  useEffect(() => {
    const w = wanted.current;
    w.mounted = true;
    return () => {
      w.mounted = false;
    };
  }, []);
  useEffect(() => {
    const host = store.host;
    const w = wanted.current;
    if (cluster || !host || w.asked) return;
    const ask = () => {
      const asked = { key: w.key, version: w.version };
      w.asked = asked;
      const done = (answer: { value: QueryResult<N> } | null) => {
        w.asked = null;
        if (!w.mounted) return;
        // A failed query keeps the last answer shown; an answer of null (nothing to show) replaces it.
        if (answer) setRemote({ key: asked.key, value: answer.value });
        if (w.key !== asked.key || w.version !== asked.version) ask();
      };
      const q = asked.key.indexOf(':');
      host.query(asked.key.slice(0, q) as N, JSON.parse(asked.key.slice(q + 1)) as QueryArgs<N>).then((value) => done({ value }), () => done(null));
    };
    ask();
  }, [store, cluster, key, version]);

  if (cluster) return local;
  return remote && remote.key === key ? remote.value : null;
}
