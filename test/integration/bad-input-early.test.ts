import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../harness/berth.js';
import { waitForNoLeaks } from '../harness/leaks.js';
import { newTestStore, type TestStore } from '../harness/store.js';

/** Bad network and mount flags are refused before any pull starts or anything is made. */
let store: TestStore;
beforeAll(() => {
  store = newTestStore('bad-input-early');
});
afterAll(async () => {
  await waitForNoLeaks(store, { timeoutMs: 5000 });
  await store.cleanup();
});

// A registry address nothing listens on: a pull would fail with "cannot reach".
const image = '127.0.0.1:9/nothing/here:latest';

describe('run and create check their flags first', () => {
  for (const [flags, message] of [
    [['-p', '99999:80'], /invalid publish "99999:80"/],
    [['--network', 'bogus'], /network bogus not found/],
    [['-v', 'rel/x:/a'], /invalid characters for a local volume name/],
    [['--mount', 'type=nosuch,dst=/a'], /^Error: .*type/],
    [['--restart', 'sometimes'], /invalid restart policy/],
  ] as const) {
    it(`${flags.join(' ')}`, async () => {
      for (const verb of ['run', 'create']) {
        const r = await berth([verb, ...flags, image, 'true'], { store, expectExit: 125 });
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/cannot reach|Trying to pull/);
      }
      expect((await berth(['ps', '-aq'], { store })).stdout).toBe('');
      expect((await berth(['images', '-q'], { store })).stdout).toBe('');
    });
  }
});
