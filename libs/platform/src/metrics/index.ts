export * from './metrics-registry';
export * from './metrics-token';
export * from './hot-histogram';
