// PLACEHOLDER (being written): endpointslice-controller.
import type { ControllerFactory } from './controller';

export const newEndpointSliceController: ControllerFactory = () => ({ name: 'endpointslice-controller', stop() {} });
