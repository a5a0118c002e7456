import { Kafka } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';

/**
 * Creates the lot-events topic, its dead-letter topic and the recalls topic if missing and waits
 * for their leaders (the broker runs with auto-create off: topics are ours to shape).
 */
export const ensureTopics = async (kafka: Kafka, settings: KafkaSettings): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [
      { topic: settings.lotEventsTopic, numPartitions: settings.partitions },
      { topic: settings.deadLetterTopic, numPartitions: 1 },
      { topic: settings.recallsTopic, numPartitions: settings.partitions },
    ].filter((t) => !existing.has(t.topic));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((t) => ({
          ...t,
          replicationFactor: settings.replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(settings.retentionMs) }],
        })),
      });
    }
    // Leaders can lag creation by a moment; metadata for both topics must resolve before we produce.
    await admin.fetchTopicMetadata({ topics: [settings.lotEventsTopic, settings.deadLetterTopic, settings.recallsTopic] });
  } finally {
    await admin.disconnect();
  }
};
