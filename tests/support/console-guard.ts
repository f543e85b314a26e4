import { afterAll, afterEach } from 'vitest';
import { takeConsoleErrors } from './browser';

// Registered for every test file (vitest.config.ts): a browser walk whose pages logged an error fails,
// including errors logged while a beforeAll was setting the pages up.
function failOnConsoleErrors() {
  const errors = takeConsoleErrors();
  if (errors.length > 0) throw new Error(`console errors in the browser:\n${errors.join('\n')}`);
}

afterEach(failOnConsoleErrors);
afterAll(failOnConsoleErrors);
