import {formatNumber} from '../format_claim';
import type {ReportTable} from '../model';

export interface TransferRow {
  readonly model: string;
  /** Fractions in [0, 1]; undefined when the model was not run. */
  readonly testAccuracy?: number;
  readonly trainLoss?: number;
  readonly paperAccuracy?: number;
  readonly paperLoss?: number;
}

const pct = (x: number | undefined) => (x === undefined ? '—' : `${formatNumber(Number((x * 100).toFixed(2)))}%`);
const num = (x: number | undefined) => (x === undefined ? '—' : formatNumber(Number(x.toFixed(3))));

/** The transfer-learning results (paper seed 004) as a table: ours beside the published numbers. */
export function transferTable(input: {readonly id: string; readonly caption: string; readonly rows: readonly TransferRow[]}): ReportTable {
  return {
    id: input.id,
    caption: input.caption,
    columns: [
      {label: 'model', align: 'left'},
      {label: 'test accuracy (ours)', align: 'right'},
      {label: 'test accuracy (paper)', align: 'right'},
      {label: 'train loss (ours)', align: 'right'},
      {label: 'train loss (paper)', align: 'right'},
    ],
    rows: input.rows.map((r) => [r.model, pct(r.testAccuracy), pct(r.paperAccuracy), num(r.trainLoss), num(r.paperLoss)]),
  };
}
