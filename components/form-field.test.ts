import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormField } from './form-field';
import { ProgressBar } from './progress-bar';
import { TableColumns } from './table-columns';

// Server-rendered markup (the test config runs .test.ts only, hence createElement instead of JSX).

const input = (props: Record<string, unknown> = {}) => h('input', { name: 'seats', ...props });

describe('FormField', () => {
  it('points the label at the control and describes the control by its help line', () => {
    const html = renderToStaticMarkup(h(FormField, { id: 'seats', label: 'Seat limit', help: 'Empty for no limit.', children: input() }));
    expect(html).toContain('for="seats"');
    expect(html).toMatch(/<input[^>]*id="seats"[^>]*aria-describedby="seats-help"/);
    expect(html).toContain('<p id="seats-help" class="text-xs text-muted-foreground">Empty for no limit.</p>');
    expect(html).not.toContain('aria-invalid');
  });

  it('shows the error instead of the help, marks the control invalid and describes it by the error', () => {
    const html = renderToStaticMarkup(
      h(FormField, { id: 'seats', label: 'Seat limit', help: 'Empty for no limit.', error: 'Below the seats in use.', children: input() }),
    );
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*aria-describedby="seats-error"/);
    expect(html).toContain('<p id="seats-error" class="text-xs text-destructive">Below the seats in use.</p>');
    expect(html).not.toContain('seats-help');
  });

  it("describes nothing without help or error, and lets the control's own props win", () => {
    const plain = renderToStaticMarkup(h(FormField, { id: 'q', label: 'Person', children: input() }));
    expect(plain).not.toContain('aria-describedby');
    const own = renderToStaticMarkup(
      h(FormField, { id: 'file', label: 'CSV file', help: 'Limits.', children: input({ 'aria-invalid': true }) }),
    );
    expect(own).toMatch(/<input[^>]*aria-invalid="true"[^>]*aria-describedby="file-help"/);
  });
});

describe('ProgressBar', () => {
  const width = (html: string) => /width:(\d+)%/.exec(html)?.[1];

  it('announces value of max and fills that share of the track', () => {
    const html = renderToStaticMarkup(h(ProgressBar, { label: 'Seats used', value: 2, max: 3 }));
    expect(html).toMatch(/role="progressbar" aria-label="Seats used" aria-valuemin="0" aria-valuemax="3" aria-valuenow="2"/);
    expect(width(html)).toBe('67');
  });

  it('fills no more than the track past max, and nothing for a max of 0', () => {
    expect(width(renderToStaticMarkup(h(ProgressBar, { label: 'Seats used', value: 5, max: 3 })))).toBe('100');
    expect(width(renderToStaticMarkup(h(ProgressBar, { label: 'Sending invitations', value: 0, max: 0 })))).toBe('0');
  });

  it('lets the indicator classes replace the default colour', () => {
    const html = renderToStaticMarkup(h(ProgressBar, { label: 'Seats used', value: 3, max: 3, indicatorClassName: 'bg-destructive' }));
    expect(html).toContain('class="h-full bg-destructive"');
  });
});

describe('TableColumns', () => {
  const headings = (html: string) => [...html.matchAll(/<th\b[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);

  it('one heading per column, with its classes when given', () => {
    const html = renderToStaticMarkup(h('table', null, h(TableColumns, { columns: [{ label: 'Row', className: 'w-16' }, 'Email'] })));
    expect(headings(html)).toEqual(['Row', 'Email']);
    expect(html).toMatch(/<th\b[^>]*class="[^"]*w-16"[^>]*>Row<\/th>/);
  });

  it('an actions column whose heading only screen readers read', () => {
    const html = renderToStaticMarkup(h('table', null, h(TableColumns, { columns: ['Name'], actions: 'w-24' })));
    expect(headings(html)).toEqual(['Name', '<span class="sr-only">Actions</span>']);
    expect(html).toMatch(/<th\b[^>]*class="[^"]*w-24"[^>]*><span class="sr-only">Actions<\/span><\/th>/);
  });
});
