/**
 * Writes API orders to unpaid_orders: key = order_id, value = Avro in the Confluent wire format
 * under `<topic>-value`, the serializer the generator uses (common/serde.ts), one Kafka transaction
 * per order, one transaction at a time.
 *
 * The transactional id is the pipeline's (`<prefix>orderflow-api-orders`): there is one writer of
 * API orders per pipeline. A second API started for the same pipeline fences the first (which
 * stops at its next write), and connecting aborts whatever a crashed predecessor left open, so the
 * view, read after connecting, sees every order that was committed and nothing that was not.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import { OrderflowError, describeError } from '../common/errors.ts';
import type { Kafka, Producer } from '../common/kafka.ts';
import { pipelineNames } from '../common/names.ts';
import type { Encoder } from '../common/serde.ts';
import { kafkaPassthrough } from '../common/settings.ts';
import { abortOpenTransaction, isFenced } from '../runtime/client-errors.ts';
import type { Order } from '../schemas/types.generated.ts';

export class OrderWriter {
  /** The previous write: transactions run one after another on the one producer. */
  private last: Promise<unknown> = Promise.resolve();
  private broken: OrderflowError | null = null;

  private constructor(
    private readonly producer: Producer,
    private readonly encoder: Encoder<Order>,
    readonly topic: string,
    readonly transactionalId: string,
    private readonly onFatal: (error: unknown) => void,
  ) {}

  static async open(o: {
    kafka: Kafka;
    encoder: Encoder<Order>;
    topicPrefix: string;
    onFatal: (error: unknown) => void;
  }): Promise<OrderWriter> {
    const names = pipelineNames(o.topicPrefix);
    const transactionalId = names.transactionalId('api', 'orders');
    const producer = o.kafka.producer({
      'enable.idempotence': true,
      acks: -1,
      'linger.ms': 0,
      'transactional.id': transactionalId,
      'transaction.timeout.ms': 60_000,
      ...kafkaPassthrough(),
    } as KafkaJS.ProducerConstructorConfig);
    try {
      await producer.connect();
    } catch (error) {
      throw new OrderflowError(
        'ORDERFLOW_BROKER_UNAVAILABLE',
        `the order API's producer (transactional id ${transactionalId}) could not connect: ${describeError(error)}; is Kafka up? (orderflow stack status)`,
        { cause: error, retriable: true },
      );
    }
    return new OrderWriter(producer, o.encoder, names.topic('unpaid'), transactionalId, o.onFatal);
  }

  /** Write one order and commit it; resolves once it is committed (read_committed readers see it). */
  write(order: Order): Promise<Buffer> {
    const run = this.last.then(() => this.commit(order));
    this.last = run.catch(() => undefined);
    return run;
  }

  private async commit(order: Order): Promise<Buffer> {
    if (this.broken) throw this.broken;
    const value = this.encoder.encode(order);
    await this.producer.transaction();
    try {
      await this.producer.send({ topic: this.topic, messages: [{ key: order.order_id, value }] });
      await this.producer.commit();
      return value;
    } catch (error) {
      // Aborted, the order is certainly not written: the client may retry with the same key. If
      // the abort fails too, whether it committed is unknown: stop, and let a restart's view say.
      const abortError = await abortOpenTransaction(this.producer);
      if (abortError !== null || isFenced(error)) {
        this.broken = new OrderflowError(
          'ORDERFLOW_TRANSACTION_FAILED',
          isFenced(error) || isFenced(abortError)
            ? `another order API for this pipeline took over the transactional id ${this.transactionalId}: this one stops`
            : `a transaction of ${this.topic} failed and could not be aborted (${describeError(abortError ?? error)}): the API stops; after a restart its view shows whether order ${order.order_id} was written`,
          { cause: error },
        );
        this.onFatal(this.broken);
        throw this.broken;
      }
      throw new OrderflowError(
        'ORDERFLOW_DELIVERY_FAILED',
        `Kafka did not take order ${order.order_id} (${describeError(error)}); nothing was written: retry with the same Idempotency-Key`,
        { cause: error, retriable: true },
      );
    }
  }

  async close(): Promise<void> {
    await this.last;
    if (this.producer.isActive()) await this.producer.abort().catch(() => undefined);
    await this.producer.disconnect();
  }
}
