// PLACEHOLDER (being written): garbage-collector-controller.
import type { ControllerFactory } from './controller';

export const newGarbageCollector: ControllerFactory = () => ({ name: 'garbage-collector-controller', stop() {} });
