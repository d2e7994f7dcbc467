// core/v1 Node (ValidateNode, ValidateNodeUpdate upstream). Taint errors are
// reported under "metadata.taints", a path quirk upstream has kept for years.
import type { Node, Taint } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { duplicate, forbidden, invalid } from '../field-errors';
import { isValidLabelValue, validateLabelName } from '../labels';
import { nameIsDNSSubdomain } from '../names';
import { list } from './common';
import { goNodeAddress, goTaint } from './go-format';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validateResourceList } from './resources';
import { validateTaintEffect } from './scheduling';

const TAINTS_PATH = 'metadata.taints';

export function validateNodeTaints(taints: readonly Taint[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  list(taints).forEach((t, i) => {
    const p = `${TAINTS_PATH}[${i}]`;
    errs.push(...validateLabelName(t?.key ?? '', `${p}.key`));
    const msgs = isValidLabelValue(t?.value ?? '');
    if (msgs.length) errs.push(invalid(`${p}.value`, t?.value ?? '', msgs.join(';')));
    errs.push(...validateTaintEffect(t?.effect, false, `${p}.effect`));
    // A node may carry a key once per effect.
    const id = `${t?.effect}\u0000${t?.key}`;
    if (unique.has(id)) errs.push({ ...duplicate(p, goTaint(t)), detail: 'taints must be unique by key and effect pair' });
    else unique.add(id);
  });
  return errs;
}

function validateNodeStatus(node: Node): FieldError[] {
  const errs = [...validateResourceList(node.status?.capacity, 'status.capacity'), ...validateResourceList(node.status?.allocatable, 'status.allocatable')];
  const seen = new Set<string>();
  list(node.status?.addresses).forEach((a, i) => {
    const key = `${a?.type}\u0000${a?.address}`;
    if (seen.has(key)) errs.push(duplicate(`status.addresses[${i}]`, goNodeAddress(a)));
    seen.add(key);
  });
  return errs;
}

export function validateNode(node: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, false, nameIsDNSSubdomain);
  if (list(node.spec?.taints).length) errs.push(...validateNodeTaints(node.spec?.taints));
  errs.push(...validateNodeStatus(node));
  return errs;
}

const POD_CIDR_MESSAGE = 'node updates may not change podCIDR except from "" to valid';

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = [...validateObjectMetaUpdate(node.metadata, old.metadata), ...validateNodeStatus(node)];
  // The controller manager may assign pod CIDRs and a provider ID once; nobody may change them after.
  const oldCIDRs = list(old.spec?.podCIDRs);
  const newCIDRs = list(node.spec?.podCIDRs);
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(forbidden('spec.podCIDRs', POD_CIDR_MESSAGE));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(forbidden('spec.podCIDRs', POD_CIDR_MESSAGE)));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateNodeTaints(node.spec?.taints));
  return errs;
}
