import { nodeStateOf } from './node-state';

describe('nodeStateOf', () => {
  it.each([
    [{ initialized: false, sealed: true, standby: true }, 'uninitialized'],
    [{ initialized: true, sealed: true, standby: true }, 'sealed'],
    [{ initialized: true, sealed: false, standby: true }, 'standby'],
    [{ initialized: true, sealed: false, standby: false, performance_standby: true }, 'standby'],
    [{ initialized: true, sealed: false, standby: false, performance_standby: false }, 'active'],
  ] as const)('%p is %s', (health, state) => {
    expect(nodeStateOf(health)).toBe(state);
  });
});
