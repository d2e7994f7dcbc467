// PLACEHOLDER (being written): deployment-controller.
import type { ControllerFactory } from './controller';

export const newDeploymentController: ControllerFactory = () => ({ name: 'deployment-controller', stop() {} });
