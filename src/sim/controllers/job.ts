// PLACEHOLDER (being written): job-controller.
import type { ControllerFactory } from './controller';

export const newJobController: ControllerFactory = () => ({ name: 'job-controller', stop() {} });
