// An object as `kubectl get -o yaml` prints it: keys sorted at every level
// (kubectl goes JSON -> map -> YAML, so sigs.k8s.io/yaml sorts them), block
// style with sequences not indented under their key, no line folding, and
// YAML 1.1 quoting (go-yaml v2 behind sigs.k8s.io/yaml): timestamps and
// yes/no/on/off are quoted so they stay strings. Shared by the inspector,
// the YAML editor and the kubectl engine so all three show the same text.
import { stringify } from 'yaml';
import type { KubeObject } from '../sim/api/types';

export function objectYaml(o: KubeObject | object): string {
  return stringify(o, { version: '1.1', sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false, indentSeq: false });
}

/** Several objects as one multi-document stream, as `kubectl get a b -o yaml` would not but `kubectl apply -f` reads. */
export function objectsYaml(objects: readonly (KubeObject | object)[]): string {
  return objects.map(objectYaml).join('---\n');
}
