import { describe, expect, it } from 'vitest';
import { runAsl } from './run-asl.js';

const processor = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

// A distributed Map used to run as an inline Map over the state input, ignoring ItemReader,
// ItemBatcher and ResultWriter: wrong items, silently. The sandbox now says it cannot run it.
describe('interpreter: distributed Map', () => {
  it('fails when a Map state uses ItemReader, ItemBatcher or ResultWriter, naming the fields', async () => {
    const result = await runAsl(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemReader: {
              Resource: 'arn:aws:states:::s3:getObject',
              ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
              Parameters: { Bucket: 'b', Key: 'k.csv' },
            },
            ItemBatcher: { MaxItemsPerBatch: 10 },
            ItemProcessor: processor,
            End: true,
          },
        },
      },
      [1, 2, 3],
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "Map state 'M' uses ItemReader, ItemBatcher (distributed Map), which the sandbox does not run",
    });
  });

  it('still runs an inline Map', async () => {
    const result = await runAsl(
      { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: processor, End: true } } },
      [1, 2, 3],
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3] });
  });
});
