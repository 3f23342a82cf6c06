import { expect } from '@jest/globals';

/** One CloudWatch embedded-metric-format blob, as CloudWatch Logs would extract it. */
export interface EmfBlob {
  namespace: string;
  dimensionSets: string[][];
  /** Metric name → unit. */
  units: Record<string, string>;
  /** The top-level members: dimension values and metric values. */
  members: Record<string, unknown>;
}

interface RawEmf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [member: string]: unknown;
}

/** Every EMF blob in captured stdout, in order; log lines are skipped. */
export function emfBlobs(text: string): EmfBlob[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => {
      const raw = JSON.parse(line) as RawEmf;
      const { _aws, ...members } = raw;
      expect(typeof _aws.Timestamp).toBe('number');
      // Powertools writes one directive per blob.
      expect(_aws.CloudWatchMetrics).toHaveLength(1);
      const [directive] = _aws.CloudWatchMetrics;
      if (!directive) throw new Error('EMF blob without a metric directive');
      // EMF: every dimension named in a set must be a member of the blob.
      for (const name of directive.Dimensions.flat()) expect(members).toHaveProperty([name]);
      for (const metric of directive.Metrics) expect(members).toHaveProperty([metric.Name]);
      return {
        namespace: directive.Namespace,
        dimensionSets: directive.Dimensions,
        units: Object.fromEntries(directive.Metrics.map((metric) => [metric.Name, metric.Unit])),
        members,
      };
    });
}

/** The blobs that carry the named metric. */
export const blobsWith = (text: string, metric: string) =>
  emfBlobs(text).filter((blob) => Object.hasOwn(blob.units, metric));

/** The JSON log lines with the given message. */
export function logLines(text: string, message: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{') && !line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === message);
}
