import { clampIndex, rovingTarget } from '../roving';

describe('rovingTarget', () => {
  it('moves with the arrow keys and stops at the ends', () => {
    expect(rovingTarget('ArrowDown', 0, 3)).toBe(1);
    expect(rovingTarget('ArrowDown', 2, 3)).toBe(2);
    expect(rovingTarget('ArrowUp', 2, 3)).toBe(1);
    expect(rovingTarget('ArrowUp', 0, 3)).toBe(0);
  });

  it('jumps with Home and End', () => {
    expect(rovingTarget('Home', 2, 5)).toBe(0);
    expect(rovingTarget('End', 0, 5)).toBe(4);
  });

  it('leaves other keys to the browser, and has nothing to do in an empty list', () => {
    for (const key of ['Enter', ' ', 'Tab', 'a', 'ArrowLeft', 'Escape']) {
      expect(rovingTarget(key, 1, 3)).toBeNull();
    }
    expect(rovingTarget('ArrowDown', 0, 0)).toBeNull();
  });

  it('starts from a valid item when the list shrank', () => {
    expect(rovingTarget('ArrowUp', 9, 3)).toBe(1);
    expect(clampIndex(9, 3)).toBe(2);
    expect(clampIndex(-1, 3)).toBe(0);
    expect(clampIndex(4, 0)).toBe(0);
  });
});
