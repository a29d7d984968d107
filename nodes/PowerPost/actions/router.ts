import { makeRouter } from '../../shared/router';
import { resources } from './resources';

/** The item loop of the PowerPost node over its resources (the engine's router). */
export const router = makeRouter(resources);
