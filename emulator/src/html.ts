const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Tagged template that escapes every interpolation unless it is already `raw`. */
export class RawHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export const raw = (value: string) => new RawHtml(value);

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const piece = Array.isArray(v)
      ? v.map((x) => (x instanceof RawHtml ? x.value : escapeHtml(x))).join('')
      : v instanceof RawHtml
        ? v.value
        : v === null || v === undefined || v === false
          ? ''
          : escapeHtml(v);
    out += piece + strings[i + 1]!;
  });
  return new RawHtml(out);
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:420px;margin:64px auto;background:#fff;border:1px solid #e3e5e8;border-radius:12px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.05)}
main.wide{max-width:880px}
.brand{font-weight:600;color:#5b3cc4;letter-spacing:.02em;font-size:13px;text-transform:uppercase;margin-bottom:8px}
h1{font-size:22px;margin:0 0 8px}p{margin:0 0 16px;color:#4b5158}
label{display:block;font-weight:600;margin:0 0 6px}
input{width:100%;padding:10px 12px;border:1px solid #c9ccd1;border-radius:8px;font:inherit;margin-bottom:16px}
input:focus{outline:2px solid #5b3cc4;outline-offset:1px;border-color:#5b3cc4}
button,.button{display:block;width:100%;padding:10px 12px;border:0;border-radius:8px;background:#5b3cc4;color:#fff;font:inherit;font-weight:600;cursor:pointer;text-align:center;text-decoration:none;margin-bottom:10px}
button.secondary,.button.secondary{background:#fff;color:#1f2328;border:1px solid #c9ccd1}
.error{background:#fdecea;color:#8a1c12;border:1px solid #f5c2bd;border-radius:8px;padding:10px 12px;margin-bottom:16px}
.notice{background:#eef4ff;color:#1d3f8a;border:1px solid #c8d8fb;border-radius:8px;padding:10px 12px;margin-bottom:16px}
.muted{color:#6b7178;font-size:13px}.divider{text-align:center;color:#8b9096;font-size:13px;margin:8px 0 14px}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:8px;border-bottom:1px solid #eceef0;vertical-align:top}
code{background:#f1f2f4;padding:1px 5px;border-radius:4px}
`;

export function page(title: string, body: RawHtml, options: { wide?: boolean; appName?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main${options.wide ? ' class="wide"' : ''}><div class="brand">${escapeHtml(options.appName ?? 'Teamgate')} · Scalekit emulator</div>${body.value}</main></body></html>`;
}
