import { createDockerRuntime } from '../../src/runtime/docker/index.js';
import { imageClientContract } from '../runtime/image-client.contract.js';

imageClientContract('docker', () => createDockerRuntime(process.env));
