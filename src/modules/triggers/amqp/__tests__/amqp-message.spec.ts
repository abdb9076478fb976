import type { ConsumeMessage } from 'amqplib';
import { deliveryKey, messagePayload } from '../amqp-message';

function message(body: string, props: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): ConsumeMessage {
  return {
    content: Buffer.from(body),
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'orders', consumerTag: 'c1', ...fields },
    properties: { headers: {}, ...props },
  } as unknown as ConsumeMessage;
}

describe('amqp message payload', () => {
  it('is the parsed JSON when the body is JSON, else the text', () => {
    expect(messagePayload(message('{"order":1}'))).toEqual({ order: 1 });
    expect(messagePayload(message(' [1,2] '))).toEqual([1, 2]);
    expect(messagePayload(message('42'))).toBe(42);
    expect(messagePayload(message('hello'))).toBe('hello');
    expect(messagePayload(message('{not json'))).toBe('{not json');
    expect(messagePayload(message(''))).toBe('');
  });
});

describe('amqp delivery key', () => {
  it('uses the messageId when the publisher set one', () => {
    expect(deliveryKey('wf', message('a', { messageId: 'm-1' }))).toBe('amqp:id:m-1');
    expect(deliveryKey('wf', message('b', { messageId: 'm-1' }))).toBe('amqp:id:m-1');
  });

  it('is the same for a redelivery (new delivery tag, consumer, redelivered flag, x-delivery-count)', () => {
    const first = message('{"order":1}', { timestamp: 1700000000, headers: { tenant: 'a' } });
    const again = message(
      '{"order":1}',
      { timestamp: 1700000000, headers: { 'x-delivery-count': 2, tenant: 'a' } },
      { deliveryTag: 7, redelivered: true, consumerTag: 'c2' },
    );
    expect(deliveryKey('wf', again)).toBe(deliveryKey('wf', first));
  });

  it('differs for another body, another header, another workflow', () => {
    const base = deliveryKey('wf', message('{"order":1}'));
    expect(deliveryKey('wf', message('{"order":2}'))).not.toBe(base);
    expect(deliveryKey('wf', message('{"order":1}', { headers: { v: 2 } }))).not.toBe(base);
    expect(deliveryKey('wf-2', message('{"order":1}'))).not.toBe(base);
  });
});
