// Small helpers shared by the benchmarks: median/min/max and a high-resolution clock in ms.
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted.at(-1)), n: values.length };
}

export const round = (x) => Math.round(x * 100) / 100;

export function machine() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: globalThis.navigator?.hardwareConcurrency ?? 0,
  };
}
