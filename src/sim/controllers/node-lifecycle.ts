// PLACEHOLDER (being written): node-lifecycle-controller.
import type { ControllerFactory } from './controller';

export const newNodeLifecycleController: ControllerFactory = () => ({ name: 'node-lifecycle-controller', stop() {} });
