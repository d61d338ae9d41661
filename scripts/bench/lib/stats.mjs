// Small statistics helpers shared by the benchmarks. Samples are plain arrays of numbers.

/** The q-quantile (0..1) of `values` by linear interpolation between the closest ranks. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export const median = (values) => quantile(values, 0.5);

export function mean(values) {
  return values.length === 0 ? Number.NaN : values.reduce((total, value) => total + value, 0) / values.length;
}

export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/** Rounds to `digits` significant digits, for tables and JSON that humans read. */
export function round(value, digits = 3) {
  if (value === undefined || value === null || !Number.isFinite(value)) return value;
  if (value === 0) return 0;
  return Number.parseFloat(value.toPrecision(digits));
}

/** Latency samples (milliseconds) to the figures every table shows. */
export function summarizeLatencies(samplesMs) {
  return {
    samples: samplesMs.length,
    opsPerSecond: round(samplesMs.length / (sum(samplesMs) / 1000), 4),
    p50Us: round(median(samplesMs) * 1000, 4),
    p99Us: round(quantile(samplesMs, 0.99) * 1000, 4),
    meanUs: round(mean(samplesMs) * 1000, 4),
  };
}

export function formatBytes(bytes) {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return 'n/a';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
}

export function formatNumber(value, digits = 3) {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  const rounded = round(value, digits);
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}

/**
 * The median of `values` and a distribution-free confidence interval for it: the k-th smallest and
 * k-th largest sample, with k as large as keeps the chance that the true median lies outside
 * (twice the Binomial(n, ½) tail below k) within 1 − `confidence`. Few samples cannot reach the
 * confidence: then the interval is the full range, and `coverage` says how sure it is.
 */
export function medianInterval(values, confidence = 0.95) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return undefined;
  const coverageAt = (k) => {
    let below = 0; // P(Binomial(n, ½) ≤ k − 1)
    let choose = 1;
    for (let i = 0; i < k; i++) {
      below += choose;
      choose = (choose * (n - i)) / (i + 1);
    }
    return 1 - 2 * below * 0.5 ** n;
  };
  let k = 1;
  while (k + 1 <= Math.ceil(n / 2) && coverageAt(k + 1) >= confidence) k++;
  return { median: median(values), low: sorted[k - 1], high: sorted[n - k], coverage: coverageAt(k) };
}
