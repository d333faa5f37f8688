// Types of `cxkit/vega-lite` (hand-written; vega-lite.js is plain JavaScript).
import type {
  Cohorts,
  CxIndex,
  Distribution,
  KeyDrivers,
  Lift,
  LoyaltyCurve,
  Mean,
  Nps,
  NpsDifference,
  Proportion,
  Retention,
  RetentionRow,
  ScaleSpec,
  SegmentRow,
  TrendRow,
} from './index.js'

/** A Vega-Lite spec as JSON (validated against the Vega-Lite 6 schema in the tests). */
export type VegaLiteSpec = { $schema: string; [key: string]: unknown }

/** One point of a loyalty curve: an outcome rate (0 to 1) per scale point, with its interval. */
export interface LoyaltyCurveRow {
  point: number
  rate: number
  lower: number
  upper: number
  n?: number
}

/** One key driver and its share of importance (0 to 1). */
export interface KeyDriverRow {
  driver: string
  share: number
  lower?: number
  upper?: number
}

/** One cell of a cohort table: the rate (0 to 1) of a cohort some periods after acquisition. */
export interface CohortRow {
  cohort: string | number
  period: number
  rate: number
}

/** The CX index (or one dimension of it) with its interval. */
export interface CxIndexRow {
  dimension: string
  estimate: number
  lower: number
  upper: number
  n?: number
}

export type ChartKind =
  | 'nps'
  | 'distribution'
  | 'proportion'
  | 'mean'
  | 'npsDifference'
  | 'segments'
  | 'trend'
  | 'loyaltyCurve'
  | 'keyDrivers'
  | 'cohortHeatmap'
  | 'cxIndex'
  | 'retention'
  | 'lift'

/** Options of {@link toVegaLite}; each applies to the kinds that mention it. */
export interface VegaLiteOptions {
  /** The chart kind; by default read off the result's fields. */
  kind?: ChartKind
  /** Title text (a default with the estimate, interval and n otherwise). */
  title?: string
  /** Width in pixels (480). */
  width?: number
  /** Height in pixels, where the chart has a fixed height. */
  height?: number
  /** segments, trend: the metric of the rows (units and number format); guessed otherwise. */
  metric?: 'nps' | 'csat' | 'share' | 'ces' | 'mean'
  /** segments, trend, cxIndex: the confidence level of the rows' intervals, for labels (0.95). */
  level?: number
  /** segments: a dashed reference line at this value (the overall estimate). */
  overall?: number
  /** distribution, mean: the scale, for category colours and the axis range. */
  scale?: 'nps' | 'csat' | 'ces' | 'agreement' | ScaleSpec
  /** proportion, mean, npsDifference: the row label. */
  label?: string
  /** lift: the two groups' labels (['exposed', 'reference']). */
  labels?: [string, string]
  /** loyaltyCurve, lift: the outcome's name, for the axis title. */
  outcome?: string
  /** keyDrivers: the axis title. */
  xTitle?: string
  /** cohortHeatmap: the value's name, for the title. */
  value?: string
  /**
   * cxIndex: quality bands as [label, low, high] in index points, or four cut-offs between
   * very poor | poor | okay | good | excellent (a {@link CxIndex} result: default 55, 65, 75, 85
   * over its method's range).
   */
  bands?: Array<[string, number, number]> | [number, number, number, number]
  /** cxIndex: the index's unit, for the axis title. */
  unit?: string
  /** keyDrivers of a {@link KeyDrivers} result: the drivers' names, in input order. */
  names?: Array<string>
  /** cohortHeatmap of a {@link Cohorts} result: which rates ('customerRates', the default). */
  values?: 'customerRates' | 'revenueRates'
  /** retention: the rates drawn, fields of {@link RetentionRow} (retentionRate, nrr, grr). */
  rates?: Array<keyof RetentionRow>
}

export type Chartable =
  | Nps
  | Distribution
  | Proportion
  | Mean
  | NpsDifference
  | Array<SegmentRow>
  | Array<TrendRow>
  | Array<LoyaltyCurveRow>
  | Array<KeyDriverRow>
  | Array<CohortRow>
  | Array<CxIndexRow>
  | CxIndex
  | LoyaltyCurve
  | KeyDrivers
  | Cohorts
  | Retention
  | Lift

/**
 * A Vega-Lite spec for a cxkit result or table, the chart the Python package draws for it:
 * NPS as a stacked detractor / passive / promoter bar, a distribution as bars coloured by
 * category, segment rows as dots with interval whiskers (significant groups coloured), trend
 * rows as a line with its interval band; the CX index by dimension over its quality bands, the
 * loyalty curve (rate per scale point with intervals), key-driver LMG shares as sorted bars, the
 * cohort retention triangle as a heatmap, retention rates per period and a loyalty lift (both
 * rates with their intervals), from the results of `cxIndex`, `loyaltyCurve`, `keyDrivers`,
 * `cohorts`, `retention` and `loyaltyLift` or from plain rows.
 *
 * @throws {TypeError} for something that is not a cxkit result or a known table.
 */
export declare function toVegaLite(result: Chartable, options?: VegaLiteOptions): VegaLiteSpec

/** The chart kind {@link toVegaLite} picks for a result or table. */
export declare function kindOf(result: Chartable): ChartKind
