import { OPERATORS } from '../../src/modules/engine/core-steps/condition.step';
import { OPERATORS as CONSOLE_OPERATORS, UNARY } from '../../web/src/pages/workflows/builder/operators';

/** The builder's condition form offers exactly the engine's operators (no API lists them). */
describe("the builder's condition operators", () => {
  it('are the engine’s, in its order', () => {
    expect([...CONSOLE_OPERATORS]).toEqual([...OPERATORS]);
  });
  it('unary ones are operators too', () => {
    for (const op of UNARY) expect(OPERATORS).toContain(op);
  });
});
