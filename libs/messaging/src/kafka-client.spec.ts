import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from './kafka-client';

const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
  level,
  log: { timestamp: '2026-12-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
});

describe('kafkaLogLevel: kafkajs lines at the level they deserve', () => {
  it.each([
    ['a rebalance seen in a heartbeat response', entry(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' }), 'debug'],
    ['a coordinator still loading', entry(logLevel.ERROR, 'Response FindCoordinator(key: 10, version: 2)', { error: 'The coordinator is loading and hence can\'t process requests' }), 'debug'],
    ['a leader election after a topic is created', entry(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', { error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' }), 'debug'],
    ['the consumer re-joining after a rebalance', entry(logLevel.WARN, 'The group is rebalancing, re-joining', { groupId: 'g' }), 'log'],
    ['a broker that is away, retried', entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092' }), 'warn'],
    ['a connection timeout, retried', entry(logLevel.ERROR, 'Connection timeout', { broker: '127.0.0.1:9092' }), 'warn'],
    ['a send retried after a lost connection', entry(logLevel.ERROR, 'Failed to send messages: Connection error', { retryCount: 1 }), 'warn'],
    ['a consumer restart after a retriable crash', entry(logLevel.ERROR, 'Restarting the consumer in 300ms', { retryCount: 0 }), 'warn'],
    ['a crash caused by the broker going away', entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED', {}), 'warn'],
    ['the idempotent producer\'s retry notice', entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'), 'debug'],
    ['a lifecycle line', entry(logLevel.INFO, 'Consumer has joined the group', { groupId: 'g' }), 'log'],
    ['a protocol debug line', entry(logLevel.DEBUG, 'Request Fetch(key: 1, version: 11)'), 'debug'],
    ['an unexpected error stays an error', entry(logLevel.ERROR, 'Crash: KafkaJSError: Topic authorization failed', {}), 'error'],
    ['an unknown failed response stays an error', entry(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { error: 'Broker: Message size too large' }), 'error'],
    ['an unknown warning stays a warning', entry(logLevel.WARN, 'Something odd'), 'warn'],
  ])('%s', (_what, e, expected) => {
    expect(kafkaLogLevel(e)).toBe(expected);
  });
});
