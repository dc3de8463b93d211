// The workspace's Nx generators (tools/generators.json), e.g. `npx nx g @edd/tools:service <name> --port=<port>`.
export { default as serviceGenerator } from './service/generator';
export type { ServiceGeneratorOptions } from './service/generator';
