import { describe, expect, it } from 'vitest';
import {
  GO_ZERO_TIME,
  UTC_ZONE,
  bytesSize,
  containerStatus,
  formatRFC3339Nano,
  formatSince,
  goTimeString,
  humanDuration,
  humanSize,
  shortId,
} from '../../../src/cli/output/units.js';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('humanSize (docker/cli: go-units HumanSizeWithPrecision, 3 digits)', () => {
  const cases: [number, string][] = [
    [0, '0B'],
    [1, '1B'],
    [999, '999B'],
    [1000, '1kB'],
    [1234, '1.23kB'],
    [4_264_000, '4.26MB'],
    [123_456_789, '123MB'],
    [1_200_000_000, '1.2GB'],
    [999_999, '1e+03kB'],
    [2.5e15, '2.5PB'],
  ];
  it.each(cases)('%d -> %s', (n, want) => expect(humanSize(n)).toBe(want));

  it('takes go-units default precision of 4 when asked', () => {
    expect(humanSize(4_264_000, 4)).toBe('4.264MB');
  });

  it('has binary BytesSize', () => {
    expect(bytesSize(1536)).toBe('1.5KiB');
    expect(bytesSize(2 * 1024 * 1024)).toBe('2MiB');
  });
});

describe('humanDuration (go-units)', () => {
  const cases: [number, string][] = [
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [SEC, '1 second'],
    [59 * SEC, '59 seconds'],
    [60 * SEC, 'About a minute'],
    [119 * SEC, 'About a minute'],
    [2 * MIN, '2 minutes'],
    [59 * MIN, '59 minutes'],
    [60 * MIN, 'About an hour'],
    [89 * MIN, 'About an hour'],
    [90 * MIN, '2 hours'],
    [47 * HOUR, '47 hours'],
    [47.5 * HOUR, '2 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [729 * DAY, '24 months'],
    [730 * DAY, '2 years'],
  ];
  it.each(cases)('%d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('formats CREATED as "... ago"', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    expect(formatSince(new Date(now.getTime() - 3 * HOUR), now)).toBe('3 hours ago');
    expect(formatSince('2024-05-01T11:59:59.5Z', now)).toBe('Less than a second ago');
    expect(formatSince(GO_ZERO_TIME, now)).toBe('N/A');
  });
});

describe('shortId', () => {
  it('truncates to 12 and drops an algorithm prefix', () => {
    expect(shortId('sha256:0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortId('0123456789abcdef')).toBe('0123456789ab');
    expect(shortId('abc')).toBe('abc');
  });
});

describe('containerStatus (the daemon State.String wording)', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it('words each state as Docker does', () => {
    expect(containerStatus({ state: 'running', startedAt: ago(2 * HOUR), now })).toBe('Up 2 hours');
    expect(containerStatus({ state: 'running', startedAt: ago(5 * SEC), health: 'healthy', now })).toBe(
      'Up 5 seconds (healthy)',
    );
    expect(containerStatus({ state: 'running', startedAt: ago(5 * SEC), health: 'starting', now })).toBe(
      'Up 5 seconds (health: starting)',
    );
    expect(containerStatus({ state: 'paused', startedAt: ago(MIN), now })).toBe('Up About a minute (Paused)');
    expect(
      containerStatus({ state: 'exited', startedAt: ago(HOUR), finishedAt: ago(3 * MIN), exitCode: 0, now }),
    ).toBe('Exited (0) 3 minutes ago');
    expect(
      containerStatus({
        state: 'restarting',
        startedAt: ago(HOUR),
        finishedAt: ago(2 * SEC),
        exitCode: 1,
        now,
      }),
    ).toBe('Restarting (1) 2 seconds ago');
    expect(containerStatus({ state: 'created', now })).toBe('Created');
    expect(containerStatus({ state: 'exited', startedAt: GO_ZERO_TIME, now })).toBe('Created');
    expect(containerStatus({ state: 'removing', now })).toBe('Removal In Progress');
    expect(containerStatus({ state: 'dead', now })).toBe('Dead');
  });
});

describe('Go time layouts', () => {
  it('formats RFC3339Nano with trimmed fractions, Z for UTC', () => {
    expect(formatRFC3339Nano('2024-01-02T03:04:05.123456789Z')).toBe('2024-01-02T03:04:05.123456789Z');
    expect(formatRFC3339Nano('2024-01-02T03:04:05.120000000Z')).toBe('2024-01-02T03:04:05.12Z');
    expect(formatRFC3339Nano(new Date('2024-01-02T03:04:05.000Z'))).toBe('2024-01-02T03:04:05Z');
    expect(formatRFC3339Nano(new Date('2024-01-02T03:04:05.5Z'))).toBe('2024-01-02T03:04:05.5Z');
    expect(formatRFC3339Nano('2024-01-02T04:04:05+01:00')).toBe('2024-01-02T03:04:05Z');
    expect(formatRFC3339Nano('2024-01-02T03:04:05Z', { offsetMinutes: 60, name: 'CET' })).toBe(
      '2024-01-02T04:04:05+01:00',
    );
    expect(formatRFC3339Nano(GO_ZERO_TIME)).toBe('0001-01-01T00:00:00Z');
  });

  it('formats time.Time.String() as {{.CreatedAt}} shows it', () => {
    expect(goTimeString(new Date('2024-01-02T03:04:05Z'), UTC_ZONE)).toBe('2024-01-02 03:04:05 +0000 UTC');
    expect(goTimeString('2024-01-02T03:04:05.25Z', { offsetMinutes: -420, name: 'MST' })).toBe(
      '2024-01-01 20:04:05.25 -0700 MST',
    );
    expect(goTimeString(new Date('2024-01-02T03:04:05Z'), { offsetMinutes: 330, name: 'IST' })).toBe(
      '2024-01-02 08:34:05 +0530 IST',
    );
  });
});
