// PLACEHOLDER (being written): taint-eviction-controller.
import type { ControllerFactory } from './controller';

export const newTaintEvictionController: ControllerFactory = () => ({ name: 'taint-eviction-controller', stop() {} });
