// PLACEHOLDER (being written): replicaset-controller.
import type { ControllerFactory } from './controller';

export const newReplicaSetController: ControllerFactory = () => ({ name: 'replicaset-controller', stop() {} });
