import { vi } from 'vitest';

export interface EmittedMetric {
  namespace: string;
  name: string;
  value: unknown;
  unit: string;
  /** Dimensions beyond the service's own. */
  dimensions: Record<string, unknown>;
}

/** The CloudWatch EMF metrics Powertools wrote to stdout while `run` ran. */
export async function emittedMetrics(run: () => Promise<unknown>): Promise<EmittedMetric[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  type Line = Record<string, unknown> & {
    _aws: {
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string; Unit: string }[];
      }[];
    };
  };
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"CloudWatchMetrics"'))
    .map((line) => JSON.parse(line) as Line)
    .flatMap((line) =>
      line._aws.CloudWatchMetrics.flatMap((set) =>
        set.Metrics.map((metric) => ({
          namespace: set.Namespace,
          name: metric.Name,
          value: line[metric.Name],
          unit: metric.Unit,
          dimensions: Object.fromEntries(
            set.Dimensions.flat()
              .filter((name) => name !== 'service')
              .map((name) => [name, line[name]]),
          ),
        })),
      ),
    );
}
