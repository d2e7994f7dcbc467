// Failures as the apiserver returns them: a metav1.Status with the HTTP code,
// a machine-readable reason and the message kubectl prints.
import type { Status } from 'kubernetes-types/meta/v1';
import { invalidMessage, type FieldError } from '../api/field-errors';

export type { Status };

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'Gone'
  | 'Expired'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'TooManyRequests'
  | 'MethodNotAllowed';

export interface Failure extends Status {
  kind: 'Status';
  apiVersion: 'v1';
  status: 'Failure';
  message: string;
  reason: StatusReason;
  code: number;
}

function failure(code: number, reason: StatusReason, message: string, details?: Status['details']): Failure {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) };
}

/** `pods "web-1" not found` (upstream prints the resource, with its group when it has one). */
export const notFound = (resource: string, name: string) =>
  failure(404, 'NotFound', `${resource} ${JSON.stringify(name)} not found`, { name, kind: resource });

/** An unknown resource type, as kubectl reports it. */
export const notFoundKind = (kind: string) => failure(404, 'NotFound', `the server doesn't have a resource type ${JSON.stringify(kind)}`);

export const alreadyExists = (resource: string, name: string) =>
  failure(409, 'AlreadyExists', `${resource} ${JSON.stringify(name)} already exists`, { name, kind: resource });

export const conflict = (resource: string, name: string, why: string) =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} ${JSON.stringify(name)}: ${why}`, { name, kind: resource });

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export const invalid = (qualifiedKind: string, name: string, errors: FieldError[]) =>
  failure(422, 'Invalid', invalidMessage(qualifiedKind, name, errors), {
    name,
    kind: qualifiedKind.split('.')[0],
    causes: errors.map((e) => ({ reason: `FieldValue${e.type}`, field: e.field, message: e.detail ?? e.type })),
  });

export const badRequest = (message: string) => failure(400, 'BadRequest', message);

export const forbidden = (resource: string, name: string, why: string) =>
  failure(403, 'Forbidden', `${resource} ${JSON.stringify(name)} is forbidden: ${why}`, { name, kind: resource });

export const gone = (message: string) => failure(410, 'Expired', message);

export const internal = (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`);

export const unavailable = (message: string) => failure(503, 'ServiceUnavailable', message);

export const tooManyRequests = (message: string) => failure(429, 'TooManyRequests', message);

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && (x as Failure).kind === 'Status' && (x as Failure).status === 'Failure';
}
