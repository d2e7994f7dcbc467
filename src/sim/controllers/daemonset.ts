// PLACEHOLDER (being written): daemonset-controller.
import type { ControllerFactory } from './controller';

export const newDaemonSetController: ControllerFactory = () => ({ name: 'daemonset-controller', stop() {} });
