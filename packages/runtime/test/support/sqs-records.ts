import { createHash, randomUUID } from 'node:crypto';
import type { SqsEvent } from '../../src/handlers/lambda-events.js';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:stepshift-completions';

/** SQS records as Lambda's event source mapping delivers EventBridge events (body = JSON). */
export function sqsEvent(...bodies: unknown[]): SqsEvent {
  return {
    Records: bodies.map((body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return {
        messageId: randomUUID(),
        receiptHandle: `rh-${randomUUID()}`,
        body: text,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AIDAEVENTBRIDGE',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(text).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: QUEUE_ARN,
        awsRegion: 'us-east-1',
      };
    }),
  };
}
