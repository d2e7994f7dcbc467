import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Job } from 'kubernetes-types/batch/v1';
import { describe, expect, it } from 'vitest';
import { container, createMessage, created, daemonSet, deployment, job, replicaSet, template, updateMessage } from '../test-fixtures';

const MISMATCH = 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`';

describe('Deployment', () => {
  it('a valid deployment has no errors', () => {
    expect(created(deployment()).errors).toEqual([]);
  });

  it('rejects negative replicas', () => {
    expect(createMessage(deployment({ replicas: -1 }))).toBe('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('template labels must match the selector', () => {
    expect(createMessage(deployment({ template: template({ app: 'api' }) }))).toBe(`Deployment.apps "web" is invalid: ${MISMATCH}`);
  });

  it('a missing selector is required and matches nothing', () => {
    expect(createMessage(deployment({ selector: undefined }))).toBe(
      'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    );
  });

  it('an empty selector is invalid', () => {
    expect(createMessage(deployment({ selector: {} }))).toBe(
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('selector expressions are validated', () => {
    const msg = createMessage(deployment({ selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] } }));
    expect(msg).toContain("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  });

  it('pods of a deployment always restart', () => {
    expect(createMessage(deployment({ template: template({ app: 'web' }, { restartPolicy: 'Never' }) }))).toBe(
      'Deployment.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
  });

  it('maxSurge and maxUnavailable may not both be 0', () => {
    expect(createMessage(deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }))).toBe(
      'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    );
  });

  it('percentages need their percent sign and stay within 100%', () => {
    expect(createMessage(deployment({ strategy: { rollingUpdate: { maxSurge: '50' } } }))).toBe(
      `Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"50"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    );
    expect(createMessage(deployment({ strategy: { rollingUpdate: { maxUnavailable: '150%' } } }))).toBe(
      'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    );
    expect(createMessage(deployment({ strategy: { rollingUpdate: { maxSurge: -1 } } }))).toBe(
      'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('names the strategy types', () => {
    expect(createMessage(deployment({ strategy: { type: 'BlueGreen' } }))).toBe(
      'Deployment.apps "web" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    );
  });

  it('progressDeadlineSeconds must exceed minReadySeconds', () => {
    expect(createMessage(deployment({ minReadySeconds: 600 }))).toBe(
      'Deployment.apps "web" is invalid: spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds',
    );
  });

  it('checks the name and the namespace', () => {
    const d = deployment();
    expect(createMessage({ ...d, metadata: { name: 'Web', namespace: 'default' } })).toMatch(
      /^Deployment\.apps "Web" is invalid: metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of/,
    );
    expect(createMessage({ ...d, metadata: { name: 'web' } })).toBe('Deployment.apps "web" is invalid: metadata.namespace: Required value');
  });

  it('validates the pod template inside', () => {
    expect(createMessage(deployment({ template: template({ app: 'web' }, { containers: [container({ image: '' })] }) }))).toBe(
      'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
    );
  });

  describe('update', () => {
    const stored = (d: Deployment = deployment()): Deployment => {
      const obj = created(d).obj;
      return { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '5' } };
    };

    it('may scale and change the template', () => {
      const old = stored();
      const next = { ...old, spec: { ...old.spec!, replicas: 5, template: template({ app: 'web' }, { containers: [container({ image: 'nginx:1.28' })] }) } };
      expect(updateMessage(next, old)).toBe('');
    });

    it('may not change the selector', () => {
      const old = stored();
      const next = { ...old, spec: { ...old.spec!, selector: { matchLabels: { app: 'web2' } }, template: template({ app: 'web2' }) } };
      expect(updateMessage(next, old)).toBe(
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
      );
    });

    it('may not rename', () => {
      const old = stored();
      const next = { ...old, metadata: { ...old.metadata, name: 'web2' } };
      expect(updateMessage(next, old)).toBe('Deployment.apps "web2" is invalid: metadata.name: Invalid value: "web2": field is immutable');
    });
  });
});

describe('ReplicaSet', () => {
  it('valid', () => {
    expect(created(replicaSet()).errors).toEqual([]);
  });

  it('rejects negative replicas and mismatched templates', () => {
    expect(createMessage(replicaSet({ replicas: -3 }))).toBe('ReplicaSet.apps "web-abc" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0');
    expect(createMessage(replicaSet({ template: template({ app: 'api' }) }))).toBe(`ReplicaSet.apps "web-abc" is invalid: ${MISMATCH}`);
  });

  it('a replica count that is not a number gets a clear message', () => {
    expect(createMessage(replicaSet({ replicas: '3' as unknown as number }))).toBe('ReplicaSet.apps "web-abc" is invalid: spec.replicas: Invalid value: "3": must be an integer');
  });

  it('selector is immutable', () => {
    const old = created(replicaSet()).obj;
    const next = { ...old, spec: { ...old.spec!, selector: { matchLabels: { app: 'web', v: '2' } }, template: template({ app: 'web', v: '2' }) } };
    expect(updateMessage(next, old)).toMatch(/^ReplicaSet\.apps "web-abc" is invalid: spec\.selector: Invalid value: .*: field is immutable$/);
  });
});

describe('DaemonSet', () => {
  it('valid', () => {
    expect(created(daemonSet()).errors).toEqual([]);
  });

  it('without a selector the template can not match', () => {
    expect(createMessage(daemonSet({ selector: undefined }))).toBe(
      'DaemonSet.apps "agent" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: `selector` does not match template `labels`',
    );
  });

  it('exactly one of maxSurge and maxUnavailable is non-zero', () => {
    expect(createMessage(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }))).toBe(
      'DaemonSet.apps "agent" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
    );
    expect(createMessage(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }))).toBe(
      'DaemonSet.apps "agent" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    );
  });

  it('OnDelete needs no rolling update; unknown types are listed', () => {
    expect(createMessage(daemonSet({ updateStrategy: { type: 'OnDelete' } }))).toBe('');
    expect(createMessage(daemonSet({ updateStrategy: { type: 'Canary' } }))).toBe(
      'DaemonSet.apps "agent" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Canary", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
    );
  });
});

const J = 'Job.batch "pi" is invalid: ';

describe('Job create', () => {
  it('a valid job has no errors once its selector is generated', () => {
    const { obj, errors } = created(job());
    expect(errors).toEqual([]);
    expect(obj.spec!.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } });
  });

  it('pods of a job must end: restartPolicy Always is refused', () => {
    expect(createMessage(job({ template: template({ app: 'pi' }) }))).toBe(`${J}spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"`);
  });

  it('counts are non-negative', () => {
    expect(createMessage(job({ parallelism: -1 }))).toBe(`${J}spec.parallelism: Invalid value: -1: must be greater than or equal to 0`);
    expect(createMessage(job({ completions: -1 }))).toBe(`${J}spec.completions: Invalid value: -1: must be greater than or equal to 0`);
    expect(createMessage(job({ backoffLimit: -1 }))).toBe(`${J}spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0`);
  });

  it('Indexed jobs need completions and names that fit pod hostnames', () => {
    expect(createMessage(job({ completionMode: 'Indexed', parallelism: 2 }))).toBe(`${J}spec.completions: Required value: when completion mode is Indexed`);
    expect(createMessage(job({ completionMode: 'Sorted' }))).toBe(`${J}spec.completionMode: Unsupported value: "Sorted": supported values: "NonIndexed", "Indexed"`);
  });

  it('a manual selector must be given and match the template', () => {
    expect(createMessage(job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } } }))).toBe('');
    expect(createMessage(job({ manualSelector: true }))).toBe(
      `${J}[spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: \`selector\` does not match template \`labels\`]`,
    );
  });

  it('a generated selector the user overrode is refused', () => {
    expect(createMessage(job({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } } }))).toContain(
      '`selector` not auto-generated',
    );
  });
});

describe('Job update', () => {
  const stored = (j: Job = job()): Job => created(j).obj;

  it('may change parallelism', () => {
    const old = stored();
    expect(updateMessage({ ...old, spec: { ...old.spec!, parallelism: 3 } }, old)).toBe('');
  });

  it('may not change completions, the selector or the template', () => {
    const old = stored();
    expect(updateMessage({ ...old, spec: { ...old.spec!, completions: 3 } }, old)).toBe(`${J}spec.completions: Invalid value: 3: field is immutable`);
    const tpl = old.spec!.template;
    const next = { ...old, spec: { ...old.spec!, template: { ...tpl, spec: { ...tpl.spec!, containers: [container({ image: 'perl:5.40' })] } } } };
    expect(updateMessage(next, old)).toBe(`${J}spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable`);
  });

  it('a suspended job that never started may still move its pods', () => {
    const old = stored(job({ suspend: true }));
    const tpl = old.spec!.template;
    const next = { ...old, spec: { ...old.spec!, suspend: false, template: { ...tpl, spec: { ...tpl.spec!, nodeSelector: { pool: 'batch' } } } } };
    expect(updateMessage(next, old)).toBe('');
  });
});
