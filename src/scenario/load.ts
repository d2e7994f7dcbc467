// Text to a running cluster: parse, build, and place any problem the build
// finds (a namespace that does not exist, a duplicate name) on its line.
import { ClusterLoadError, createCluster, type Cluster, type ClusterOptions } from '../sim/cluster';
import { parseScenarioFile, type ParsedScenario } from './parse';
import { ScenarioError } from './problems';

export interface LoadOptions extends ClusterOptions {
  /** Overrides the scenario's seed (the CLI's --seed). */
  seed?: number | string;
}

export function loadScenario(text: string, options: LoadOptions = {}): { cluster: Cluster; parsed: ParsedScenario } {
  const parsed = parseScenarioFile(text);
  const model = options.seed === undefined ? parsed.model : { ...parsed.model, seed: options.seed };
  try {
    return { cluster: createCluster(model, options), parsed };
  } catch (e) {
    if (!(e instanceof ClusterLoadError)) throw e;
    throw new ScenarioError(
      e.problems.map((p) => {
        if ('object' in p.source) {
          const src = parsed.sources[p.source.object];
          return { document: src.document, line: src.line, object: src.object, message: p.message };
        }
        return { document: parsed.scenarioDocument ?? 1, field: `spec.nodePools[${p.source.pool}].${p.source.field}`, message: p.message, object: 'Scenario' };
      }),
    );
  }
}
