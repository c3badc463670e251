// The package ships no types; this is the prom2json-compatible shape it returns (values stay strings, as prom2json's).
declare module 'parse-prometheus-text-format' {
  export type Labels = Record<string, string>;
  export interface PlainMetric {
    value: string;
    labels?: Labels;
    timestamp_ms?: string;
  }
  export interface HistogramMetric {
    buckets: Record<string, string>;
    count: string;
    sum: string;
    labels?: Labels;
  }
  export interface SummaryMetric {
    quantiles: Record<string, string>;
    count: string;
    sum: string;
    labels?: Labels;
  }
  export interface MetricFamily {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: (PlainMetric | HistogramMetric | SummaryMetric)[];
  }
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
