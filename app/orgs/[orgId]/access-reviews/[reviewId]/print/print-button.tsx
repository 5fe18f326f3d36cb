'use client';

import { PrinterIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';

/** Opens the browser's print dialog, where "Save as PDF" makes the PDF. */
export function PrintButton() {
  return (
    <Button variant="outline" onClick={() => window.print()}>
      <PrinterIcon aria-hidden="true" />
      Print or save as PDF
    </Button>
  );
}
