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
