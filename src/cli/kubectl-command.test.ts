import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const example = (name: string) => fileURLToPath(new URL(`../scenario/examples/${name}`, import.meta.url));

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sim kubectl FILE --until DURATION -- ARGS', () => {
  it('runs the scenario to the instant and prints what kubectl prints', () => {
    // nodes-and-pods.yaml: pod web bound to worker-a, pod batch placed by the scheduler on worker-b.
    const r = run('kubectl', example('nodes-and-pods.yaml'), '--until', '30s', '--', 'get', 'pods', '-o', 'wide');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      [
        'NAME    READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES',
        'batch   1/1     Running   0          30s   10.244.1.2   worker-b   <none>           <none>',
        'web     1/1     Running   0          30s   10.244.0.2   worker-a   <none>           <none>',
      ].join('\n'),
    );
  });

  it("passes kubectl's stderr and exit code through", () => {
    const r = run('kubectl', example('nodes-and-pods.yaml'), '--until', '5s', '--', 'get', 'pod', 'nope');
    expect(r).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): pods "nope" not found' });
  });

  it('asks for the command after -- and for --until', () => {
    expect(run('kubectl', example('nodes-and-pods.yaml'), '--until', '5s').code).toBe(2);
    const r = run('kubectl', example('nodes-and-pods.yaml'), '--', 'get', 'pods');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^sim: kubectl needs --until DURATION/);
  });
});
