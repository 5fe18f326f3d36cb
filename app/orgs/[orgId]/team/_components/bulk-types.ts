/** One CSV row as the bulk page shows it (no ids or timestamps the browser does not need). */
export interface BulkRowView {
  rowNumber: number;
  email: string;
  name: string | null;
  role: string;
  status: 'PENDING' | 'INVITED' | 'SKIPPED' | 'FAILED' | 'HELD';
  reason: string | null;
}
