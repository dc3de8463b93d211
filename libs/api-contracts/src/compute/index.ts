export * from './fields';
export * from './requests';
export * from './responses';
export * from './container-usage';
