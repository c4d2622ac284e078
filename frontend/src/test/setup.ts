import '@testing-library/jest-dom/vitest';

// jsdom has no layout: element size bindings need a ResizeObserver that never fires.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}
