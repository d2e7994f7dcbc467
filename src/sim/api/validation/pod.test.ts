import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { ERR_FORMAT_WRONG } from '../quantity';
import { container, createMessage, created, pod, updateMessage } from '../test-fixtures';

const P = 'Pod "web-1" is invalid: ';
const msgFor = (spec: Parameters<typeof pod>[1]) => createMessage(pod({}, spec));

describe('Pod create', () => {
  it('a valid pod has no errors', () => {
    expect(created(pod()).errors).toEqual([]);
  });

  it('needs containers', () => {
    expect(msgFor({ containers: [] })).toBe(`${P}spec.containers: Required value`);
  });

  it('container names are DNS labels, unique across init and regular containers', () => {
    expect(msgFor({ containers: [container({ name: 'App' })] })).toBe(
      `${P}spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect(msgFor({ containers: [container(), container({ name: 'app' })] })).toBe(`${P}spec.containers[1].name: Duplicate value: "app"`);
    expect(msgFor({ initContainers: [container()] })).toBe(`${P}spec.initContainers[0].name: Duplicate value: "app"`);
  });

  it('needs an image, without padding', () => {
    expect(msgFor({ containers: [container({ image: '' })] })).toBe(`${P}spec.containers[0].image: Required value`);
    expect(msgFor({ containers: [container({ image: ' nginx' })] })).toBe(`${P}spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace`);
  });

  it('checks container ports', () => {
    expect(msgFor({ containers: [container({ ports: [{ containerPort: 70000 }] })] })).toBe(
      `${P}spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    );
    expect(msgFor({ containers: [container({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] })] })).toBe(
      `${P}spec.containers[0].ports[1].name: Duplicate value: "http"`,
    );
    expect(msgFor({ containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] })).toBe(
      `${P}spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
    );
    expect(msgFor({ containers: [container({ ports: [{ containerPort: 80, hostPort: 8080 }] }), container({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] })] })).toBe(
      `${P}spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"`,
    );
  });

  it('requests may not exceed limits', () => {
    expect(msgFor({ containers: [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] })).toBe(
      `${P}spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`,
    );
    expect(msgFor({ containers: [container({ resources: { requests: { memory: '2Gi' }, limits: { memory: '1536Mi' } } })] })).toBe(
      `${P}spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1536Mi`,
    );
  });

  it('resources must be quantities of known resources', () => {
    expect(msgFor({ containers: [container({ resources: { requests: { memory: '1 Gi' } } })] })).toBe(
      `${P}spec.containers[0].resources.requests[memory]: Invalid value: "1 Gi": ${ERR_FORMAT_WRONG}`,
    );
    expect(msgFor({ containers: [container({ resources: { requests: { cpu: '-1' } } })] })).toBe(
      `${P}spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
    );
    expect(msgFor({ containers: [container({ resources: { requests: { gpu: '1' } } })] })).toBe(
      `${P}[spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified, spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers]`,
    );
  });

  it('extended resources are whole and requested at their limit', () => {
    expect(msgFor({ containers: [container({ resources: { limits: { 'nvidia.com/gpu': '1' } } })] })).toBe('');
    expect(msgFor({ containers: [container({ resources: { requests: { 'nvidia.com/gpu': '1' } } })] })).toBe(
      `${P}spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources`,
    );
    expect(msgFor({ containers: [container({ resources: { limits: { 'nvidia.com/gpu': '500m' } } })] })).toBe(
      `${P}[spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "500m": must be an integer, spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "500m": must be an integer]`,
    );
  });

  it('lists the restart policies', () => {
    expect(msgFor({ restartPolicy: 'Sometimes' })).toBe(`${P}spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`);
  });

  it('nodeSelector holds labels', () => {
    expect(msgFor({ nodeSelector: { disk: 'fast ssd' } })).toMatch(/^Pod "web-1" is invalid: spec\.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string/);
  });

  it('checks tolerations', () => {
    expect(msgFor({ tolerations: [{ key: 'k', operator: 'Maybe' }] })).toBe(`${P}spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"`);
    expect(msgFor({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoRun' }] })).toBe(
      `${P}spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
    );
    expect(msgFor({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }] })).toBe(
      `${P}spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
    );
    expect(msgFor({ tolerations: [{ operator: 'Equal', value: 'x' }] })).toBe(
      `${P}spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`,
    );
    expect(msgFor({ tolerations: [{ operator: 'Exists' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] })).toBe('');
  });

  it('checks affinity', () => {
    const req = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    expect(msgFor({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })).toBe(
      `${P}${req}.nodeSelectorTerms: Required value: must have at least one node selector term`,
    );
    expect(
      msgFor({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Near' }] }] } } } }),
    ).toBe(`${P}${req}.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator`);
    expect(msgFor({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } } })).toBe(
      `${P}spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100`,
    );
    expect(msgFor({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: '' }] } } })).toBe(
      `${P}spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty`,
    );
  });

  it('checks topology spread constraints', () => {
    expect(msgFor({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] })).toBe(
      `${P}spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero`,
    );
  });

  it('checks metadata', () => {
    expect(createMessage(pod({ metadata: { namespace: 'default' } }))).toBe('Pod "" is invalid: metadata.name: Required value: name or generateName is required');
    expect(createMessage(pod({ metadata: { generateName: 'web-', namespace: 'default' } }))).toBe('');
    expect(createMessage(pod({ metadata: { name: 'web-1', namespace: 'default', labels: { 'a/b/c': 'x' } } }))).toMatch(
      /^Pod "web-1" is invalid: metadata\.labels: Invalid value: "a\/b\/c": a qualified name must consist of/,
    );
    const big = 'x'.repeat(256 * 1024);
    expect(createMessage(pod({ metadata: { name: 'web-1', namespace: 'default', annotations: { note: big } } }))).toBe(
      `${P}metadata.annotations: Too long: may not be more than 262144 bytes`,
    );
  });
});

describe('Pod update', () => {
  const stored = (): Pod => {
    const p = created(pod({}, { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] })).obj;
    return { ...p, metadata: { ...p.metadata, uid: 'u1', resourceVersion: '7' } };
  };
  const withSpec = (p: Pod, spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ ...p, spec: { ...p.spec!, ...spec } });

  it('may change images, add tolerations, lower the deadline and relabel', () => {
    const old = stored();
    expect(updateMessage(withSpec(old, { containers: [{ ...old.spec!.containers[0], image: 'nginx:1.28' }] }), old)).toBe('');
    expect(updateMessage(withSpec(old, { tolerations: [...old.spec!.tolerations!, { key: 'b', operator: 'Exists' }] }), old)).toBe('');
    expect(updateMessage(withSpec(old, { tolerations: [{ ...old.spec!.tolerations![0], tolerationSeconds: 10 }] }), old)).toBe('');
    expect(updateMessage({ ...old, metadata: { ...old.metadata, labels: { v: '2' } } }, old)).toBe('');
  });

  it('may not change anything else', () => {
    const old = stored();
    const msg = updateMessage(withSpec(old, { containers: [{ ...old.spec!.containers[0], ports: [{ containerPort: 80, protocol: 'TCP' }] }] }), old);
    expect(msg.startsWith(
      'Pod "web-1" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    )).toBe(true);
    expect(msg).toContain('Containers');
  });

  it('may not add containers or remove tolerations', () => {
    const old = stored();
    expect(updateMessage(withSpec(old, { containers: [...old.spec!.containers, container({ name: 'b' })] }), old)).toBe(
      `${P}spec.containers: Forbidden: pod updates may not add or remove containers`,
    );
    expect(updateMessage(withSpec(old, { tolerations: [] }), old)).toBe(`${P}spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds`);
  });

  it('activeDeadlineSeconds only goes down', () => {
    const old = withSpec(stored(), { activeDeadlineSeconds: 100 });
    expect(updateMessage(withSpec(old, { activeDeadlineSeconds: 50 }), old)).toBe('');
    expect(updateMessage(withSpec(old, { activeDeadlineSeconds: 200 }), old)).toBe(`${P}spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value`);
    expect(updateMessage(withSpec(old, { activeDeadlineSeconds: undefined }), old)).toBe(
      `${P}spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value`,
    );
  });

  it('name, namespace and uid are immutable', () => {
    const old = stored();
    expect(updateMessage({ ...old, metadata: { ...old.metadata, uid: 'other' } }, old)).toBe(`${P}metadata.uid: Invalid value: "other": field is immutable`);
    expect(updateMessage({ ...old, metadata: { ...old.metadata, namespace: 'prod' } }, old)).toBe(`${P}metadata.namespace: Invalid value: "prod": field is immutable`);
  });
});
