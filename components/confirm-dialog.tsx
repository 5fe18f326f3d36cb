'use client';

import type { ReactNode } from 'react';
import {
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';

/**
 * What every "are you sure?" dialog shows: a title, what will happen, Cancel, and the confirm
 * control the caller brings (a dialog Action, or a plain submit when the dialog wraps a form
 * that must post before it closes). Used inside an AlertDialog the caller owns, so it can be a
 * trigger-opened or a controlled one.
 */
export function ConfirmDialogContent({
  title,
  description,
  confirm,
  cancelDisabled,
  form,
  children,
}: {
  title: ReactNode;
  description: ReactNode;
  confirm: ReactNode;
  cancelDisabled?: boolean;
  /** Wraps header and footer, e.g. in a form whose hidden fields the caller renders beside `body`. */
  form?: (body: ReactNode) => ReactNode;
  /** Between the description and the buttons, e.g. a field the confirmation needs. */
  children?: ReactNode;
}) {
  const body = (
    <>
      <AlertDialogHeader>
        <AlertDialogTitle>{title}</AlertDialogTitle>
        <AlertDialogDescription>{description}</AlertDialogDescription>
      </AlertDialogHeader>
      {children}
      <AlertDialogFooter>
        <AlertDialogCancel type="button" disabled={cancelDisabled}>
          Cancel
        </AlertDialogCancel>
        {confirm}
      </AlertDialogFooter>
    </>
  );
  return <AlertDialogContent>{form ? form(body) : body}</AlertDialogContent>;
}
