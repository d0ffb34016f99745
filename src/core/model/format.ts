// Text formatting for the explorer. Every function is pure: times come in as arguments, never
// from Date.now(), so tree text is reproducible in tests.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Rounds to `decimals` places the way people expect for money (1.005 → 1.01). `toFixed` alone
 * rounds the binary value, which is a hair below 1.005; the relative nudge of 1e-12 lifts such
 * values over the half without moving any amount a person could type.
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const magnitude = Math.round(Math.abs(value) * factor * (1 + 1e-12)) / factor;
  return value < 0 ? -magnitude : magnitude;
}

function groupThousands(integerDigits: string): string {
  return integerDigits.length <= 3 ? integerDigits : integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `-` and `1,234.50` for an amount, rounded to cents once (no `-` for a rounded zero). */
function dollarsAndCents(amount: number): { readonly sign: string; readonly digits: string } {
  const cents = Math.round(Math.abs(amount) * 100 * (1 + 1e-12));
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return {
    sign: amount < 0 && cents !== 0 ? '-' : '',
    digits: `${groupThousands(String(whole))}.${fraction < 10 ? '0' : ''}${fraction}`,
  };
}

/** An amount of money: `$3.21`, `$1,234.50`, `-$0.40`. */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) {
    return '$—';
  }
  const { sign, digits } = dollarsAndCents(amount);
  return `${sign}$${digits}`;
}

/**
 * An account balance: `$1,234.50`, written like every other amount so the status bar reads
 * `$249.94 · $2.64/h`, not `$ 249.94 · $2.64/h`.
 */
export function formatBalance(amount: number): string {
  return formatUsd(amount);
}

/** Rates below this keep three significant digits; from it up, cents. */
const SMALL_RATE_USD = 0.1;

/**
 * A price per hour: `$0.12/h`, `$57.61/h`. One rule for small rates (volume storage): under
 * $0.10/h they keep three significant digits, so `$0.0109/h` sits beside `$0.00545/h` and
 * `$0.000109/h`, never a rounded `$0.01/h`.
 */
export function formatRate(usdPerHour: number): string {
  if (!Number.isFinite(usdPerHour)) {
    return '$—/h';
  }
  const magnitude = Math.abs(usdPerHour);
  const significant = Number(magnitude.toPrecision(3));
  if (magnitude > 0 && significant < SMALL_RATE_USD) {
    return `${usdPerHour < 0 ? '-' : ''}$${significant.toString()}/h`;
  }
  return `${formatUsd(usdPerHour)}/h`;
}

/** A price limit as a person types it: `$3/h`, `$2.50/h`. */
export function formatRateCompact(usdPerHour: number): string {
  const rounded = roundTo(usdPerHour, 2);
  return Number.isInteger(rounded) ? `$${rounded}/h` : formatRate(rounded);
}

/** `$2.39–$21.52/h`, or `$2.39/h` when both ends are the same after rounding. */
export function formatRateRange(low: number, high: number): string {
  const lowText = formatUsd(low);
  const highText = formatUsd(high);
  return lowText === highText ? `${lowText}/h` : `${lowText}–${highText}/h`;
}

/**
 * A duration, truncated to its two largest units: `45s`, `12m`, `1h 20m`, `3d 4h`.
 * Negative input (clock skew between us and the API) shows as `0s`.
 */
export function formatDuration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe < MINUTE_MS) {
    return `${Math.floor(safe / 1000)}s`;
  }
  if (safe < HOUR_MS) {
    return `${Math.floor(safe / MINUTE_MS)}m`;
  }
  if (safe < DAY_MS) {
    const hours = Math.floor(safe / HOUR_MS);
    const minutes = Math.floor((safe % HOUR_MS) / MINUTE_MS);
    return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
  }
  const days = Math.floor(safe / DAY_MS);
  const hours = Math.floor((safe % DAY_MS) / HOUR_MS);
  return hours === 0 ? `${days}d` : `${days}d ${hours}h`;
}

/** A runway in words: `2 days 3 h`, `5 h 20 min`, `45 min`, `∞`. */
export function formatRunway(hours: number): string {
  if (hours === Number.POSITIVE_INFINITY) {
    return '∞';
  }
  const totalMinutes = Number.isFinite(hours) && hours > 0 ? Math.floor(hours * 60) : 0;
  const days = Math.floor(totalMinutes / (24 * 60));
  const wholeHours = Math.floor((totalMinutes % (24 * 60)) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) {
    const dayText = `${days} day${days === 1 ? '' : 's'}`;
    return wholeHours === 0 ? dayText : `${dayText} ${wholeHours} h`;
  }
  if (wholeHours > 0) {
    return minutes === 0 ? `${wholeHours} h` : `${wholeHours} h ${minutes} min`;
  }
  return `${minutes} min`;
}

function trimNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(roundTo(value, 1));
}

/**
 * A size given in GB: `500 GB`, `1 TB`, `1.5 TB`, `64 TB`. Volume limits are binary
 * (Voltage Park's 64 TB is 65,536 GB), so 1 TB = 1024 GB. `? GB` when the API did not say.
 */
export function formatSizeGb(gb: number | null | undefined): string {
  if (gb === null || gb === undefined || !Number.isFinite(gb) || gb < 0) {
    return '? GB';
  }
  if (gb >= 1024) {
    return `${trimNumber(roundTo(gb / 1024, 1))} TB`;
  }
  return `${trimNumber(gb)} GB`;
}

/** A byte count: `0 B`, `12.3 GB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) {
    return '0 B';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : trimNumber(roundTo(value, 1))} ${units[unit]}`;
}

/** How long ago something happened: `just now`, `45 s ago`, `3 min ago`, `2 h ago`, `4 d ago`. */
export function formatAgo(thenMs: number, nowMs: number): string {
  const elapsed = Math.max(0, nowMs - thenMs);
  if (elapsed < 5_000) {
    return 'just now';
  }
  if (elapsed < MINUTE_MS) {
    return `${Math.floor(elapsed / 1000)} s ago`;
  }
  if (elapsed < HOUR_MS) {
    return `${Math.floor(elapsed / MINUTE_MS)} min ago`;
  }
  if (elapsed < DAY_MS) {
    return `${Math.floor(elapsed / HOUR_MS)} h ago`;
  }
  return `${Math.floor(elapsed / DAY_MS)} d ago`;
}

/** `updated 2 min ago`. */
export function formatUpdated(thenMs: number, nowMs: number): string {
  return `updated ${formatAgo(thenMs, nowMs)}`;
}

/** Wall-clock time `14:32`, in the host's time zone unless `utc` is set. */
export function formatClockTime(ms: number, options: { readonly utc?: boolean } = {}): string {
  const date = new Date(ms);
  const hours = options.utc ? date.getUTCHours() : date.getHours();
  const minutes = options.utc ? date.getUTCMinutes() : date.getMinutes();
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** A count the API may leave out: `16`, or `?`. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '?' : String(value);
}

/** `1 offer`, `3 offers`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// Characters that can start markup in the middle of a line. Our tooltip text is never at the
// start of a line (it follows a label), so list and heading markers need no escaping.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~]/g;

/** Escapes text from the API so it shows literally inside a markdown tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`);
}

/** An inline code span that survives backticks inside `text`. */
export function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const longest = runs.reduce((max, run) => Math.max(max, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
