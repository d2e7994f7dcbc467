// PLACEHOLDER (being written): pod-garbage-collector-controller.
import type { ControllerFactory } from './controller';

export const newPodGCController: ControllerFactory = () => ({ name: 'pod-garbage-collector-controller', stop() {} });
