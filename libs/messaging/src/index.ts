export * from './kafka-settings';
export * from './kafka-client';
export * from './topics';
export * from './lot-event-message';
export * from './outbox-relay';
export * from './lot-events-consumer';
