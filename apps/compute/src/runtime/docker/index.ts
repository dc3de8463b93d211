export { createDockerRuntime, type DockerRuntimeOptions } from './docker-runtime';
export { DEFAULT_IMAGE, DEFAULT_NETWORK } from './names';
