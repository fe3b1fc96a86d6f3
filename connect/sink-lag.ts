/**
 * How far the sink connectors are behind their split topics: the records each connector's consumer
 * group (`connect-<connector>`) has not committed yet. Reconcile reports it so that "the sink is still
 * landing" is told apart from "orders were lost".
 */
import { createKafka } from '../common/kafka.ts';
import type { Logger } from '../common/logger.ts';
import { pipelineNames } from '../common/names.ts';
import { topicName } from '../schemas/topics.ts';

export interface SinkLag {
  connector: string;
  topic: string;
  /** Records not yet committed by the connector (0 = caught up). */
  lag: number;
}

const SPLIT = ['orders', 'customers', 'orderItems'] as const;

export async function sinkLag(bootstrap: string, prefix: string, log: Logger): Promise<SinkLag[]> {
  const names = pipelineNames(prefix);
  const admin = createKafka(bootstrap, 'orderflow-reconcile-lag', log).admin();
  await admin.connect();
  try {
    const result: SinkLag[] = [];
    for (const key of SPLIT) {
      const topic = topicName(key, prefix);
      const connector = names.sinkConnector(key);
      const ends = await admin.fetchTopicOffsets(topic);
      const fetched = await admin.fetchOffsets({ groupId: names.connectorGroup(connector), topics: [topic] });
      const committed = new Map(
        (fetched.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [
          p.partition,
          Number(p.offset),
        ]),
      );
      let lag = 0;
      for (const end of ends) {
        const offset = committed.get(end.partition) ?? -1;
        // A transaction's commit marker takes the last offset: a caught-up group may stop one short.
        const from = offset >= 0 ? offset : Number(end.low);
        lag += Math.max(0, Number(end.high) - from - (offset >= 0 ? 1 : 0));
      }
      result.push({ connector, topic, lag });
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}
