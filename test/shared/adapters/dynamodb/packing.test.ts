import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleOrder } from '../../../../local/sample-order.js';
import { pack, unpack } from '../../../../shared/adapters/dynamodb/packing.js';

describe('packing bulky JSON into one binary attribute', () => {
  it('gives back exactly the JSON value it packed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(unpack(pack(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('halves an order snapshot, and reads a value stored before packing as it is', () => {
    expect(pack(sampleOrder).length).toBeLessThan(JSON.stringify(sampleOrder).length / 1.5);
    expect(unpack({ order: { id: 'ord_1' } })).toEqual({ order: { id: 'ord_1' } });
  });
});
