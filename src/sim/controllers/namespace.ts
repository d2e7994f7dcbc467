// PLACEHOLDER (being written): namespace-controller.
import type { ControllerFactory } from './controller';

export const newNamespaceController: ControllerFactory = () => ({ name: 'namespace-controller', stop() {} });
