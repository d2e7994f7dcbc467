// Scenario files: multi-document YAML of ordinary manifests plus at most one
// `kind: Scenario` document. Parsing checks everything it can and reports
// every problem with its document, line and field; nothing half-loads.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../sim/api/types';
import { emptyScenario, type ScenarioModel } from '../sim/model';
import { checkManifest, describeObject, isPlainObject } from './manifest-check';
import { ScenarioError, type ScenarioProblem } from './problems';
import { readScenarioDocument, SCENARIO_API_VERSION } from './scenario-document';
import { YamlSource } from './yaml-source';
import { profileFromConfiguration, SCHEDULER_CONFIG_API_VERSION, SchedulerConfigError } from '../sim/scheduler/config';
import { PLUGIN_NAMES } from '../sim/scheduler/plugins';
import { validateProfile } from '../sim/scheduler/validate-profile';

/** Where each of model.objects came from, to place errors found later (e.g. when the cluster is built). */
export interface ObjectSource {
  document: number;
  line?: number;
  object?: string;
}

export interface ParsedScenario {
  model: ScenarioModel;
  sources: ObjectSource[];
  /** Document number of the Scenario document, if the file has one. */
  scenarioDocument?: number;
}

/** Guards against YAML alias bombs ("billion laughs") in pasted or shared files. */
const MAX_ALIAS_COUNT = 100;

export function parseScenarioFile(text: string): ParsedScenario {
  const problems: ScenarioProblem[] = [];
  const model = emptyScenario();
  const sources: ObjectSource[] = [];
  let scenarioDocument: number | undefined;
  let schedulerDocument: number | undefined;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];

  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length) {
      for (const err of doc.errors)
        problems.push({ document, line: err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line, message: `YAML syntax error: ${err.message.split('\n')[0]}` });
      return;
    }
    if (doc.contents === null) return; // an empty document between two `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      problems.push({ document, message: `YAML cannot be read: ${(e as Error).message}` });
      return;
    }
    const src = new YamlSource(doc, lineCounter);
    if (!isPlainObject(value)) {
      problems.push({ document, line: src.line(), message: 'must be a mapping (a Kubernetes object with apiVersion, kind and metadata)' });
      return;
    }
    if (value.kind === 'Scenario') {
      if (value.apiVersion !== SCENARIO_API_VERSION) {
        problems.push({ document, line: src.line('apiVersion'), field: 'apiVersion', message: `a Scenario document has apiVersion ${SCENARIO_API_VERSION}` });
        return;
      }
      if (scenarioDocument !== undefined) {
        problems.push({ document, line: src.line('kind'), field: 'kind', message: `a file has at most one Scenario document (the first is document ${scenarioDocument})` });
        return;
      }
      scenarioDocument = document;
      const parts = readScenarioDocument(value, src, document, problems);
      model.name = parts.name;
      model.seed = parts.seed;
      model.controlPlane = parts.controlPlane;
      model.settings = parts.settings;
      model.nodePools = parts.nodePools;
      model.timeline = parts.timeline;
      if (parts.registry) model.registry = parts.registry;
      if (parts.cloud) model.cloud = parts.cloud;
      if (parts.addons) model.addons = parts.addons;
      return;
    }
    if (value.kind === 'KubeSchedulerConfiguration') {
      if (value.apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
        problems.push({ document, line: src.line('apiVersion'), field: 'apiVersion', message: `kubeviz reads KubeSchedulerConfiguration ${SCHEDULER_CONFIG_API_VERSION}` });
        return;
      }
      if (schedulerDocument !== undefined) {
        problems.push({ document, line: src.line('kind'), field: 'kind', message: `a file has at most one KubeSchedulerConfiguration (the first is document ${schedulerDocument})` });
        return;
      }
      schedulerDocument = document;
      try {
        model.schedulerProfile = profileFromConfiguration(value, PLUGIN_NAMES);
        const bad = validateProfile(model.schedulerProfile);
        if (bad) {
          const configs = (value.profiles as Array<{ pluginConfig?: Array<{ name?: string }> }> | undefined)?.[0]?.pluginConfig ?? [];
          const i = configs.findIndex((c) => c?.name === bad.plugin);
          const field = i >= 0 ? `profiles[0].pluginConfig[${i}].args` : 'profiles[0]';
          problems.push({ document, line: src.line(field), field, message: bad.message, object: 'KubeSchedulerConfiguration' });
        }
      } catch (e) {
        if (!(e instanceof SchedulerConfigError)) throw e;
        problems.push({ document, line: src.line(e.field), field: e.field, message: e.message, object: 'KubeSchedulerConfiguration' });
      }
      return;
    }
    const add = (obj: unknown, s: YamlSource, prefix: string) => {
      const found = checkManifest(obj, s, document, prefix);
      problems.push(...found);
      if (found.length === 0) {
        model.objects.push(obj as KubeObject);
        sources.push({ document, line: s.line(), object: describeObject(obj as KubeObject) });
      }
    };
    if (value.kind === 'List' && Array.isArray(value.items)) value.items.forEach((item, j) => add(item, src.at('items', j), `items[${j}].`));
    else add(value, src, '');
  });

  if (problems.length) throw new ScenarioError(problems);
  return { model, sources, scenarioDocument };
}

export function parseScenario(text: string): ScenarioModel {
  return parseScenarioFile(text).model;
}
