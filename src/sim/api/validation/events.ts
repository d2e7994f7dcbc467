// core/v1 Event. Legacy events get only legacy checks upstream: the
// involved object's namespace must agree with the event's. Names follow
// the apiserver's generic rule for names in URLs.
import type { Event } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { invalid } from '../field-errors';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../names';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

function legacyValidateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const involved = ev.involvedObject?.namespace ?? '';
  if (!ev.eventTime) {
    // Events about cluster-scoped objects live in "default" (or nowhere) for old clients.
    const ok = involved ? ns === involved : ns === '' || ns === 'default';
    if (!ok) errs.push(invalid('involvedObject.namespace', involved, 'does not match event.namespace'));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, msg));
  return errs;
}

export function validateEvent(ev: Event): FieldError[] {
  const errs = legacyValidateEvent(ev);
  return errs.length ? errs : validateObjectMeta(ev.metadata, true, isValidPathSegmentName);
}

export function validateEventUpdate(ev: Event, old: Event): FieldError[] {
  const errs = legacyValidateEvent(ev);
  return errs.length ? errs : [...validateObjectMeta(ev.metadata, true, isValidPathSegmentName), ...validateObjectMetaUpdate(ev.metadata, old.metadata)];
}
