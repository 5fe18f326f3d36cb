/*
 * Simplified sign-in provider marks drawn for Teamgate (lucide ships no brand icons).
 * Decorative only: each button carries its provider's name as text.
 */

export function GoogleIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className} fill="none" strokeWidth="3">
      <path d="M19.5 12A7.5 7.5 0 0 1 16.82 17.75" stroke="#4285F4" />
      <path d="M16.82 17.75A7.5 7.5 0 0 1 6.25 16.82" stroke="#34A853" />
      <path d="M6.25 16.82A7.5 7.5 0 0 1 5.5 8.25" stroke="#FBBC05" />
      <path d="M5.5 8.25A7.5 7.5 0 0 1 17.3 6.7" stroke="#EA4335" />
      <path d="M12 12h8.9" stroke="#4285F4" />
    </svg>
  );
}

export function GitHubIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className}>
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path
        d="M7.2 10.6 7.6 6.4l2.9 1.9a7.6 7.6 0 0 1 3 0l2.9-1.9.4 4.2c.6.7.9 1.5.9 2.4 0 3-2.4 4.4-5.7 4.4S6.3 16 6.3 13c0-.9.3-1.7.9-2.4Z"
        className="fill-card"
      />
      <path d="M10.7 17.3v3.2M13.3 17.3v3.2" strokeWidth="1.6" strokeLinecap="round" className="stroke-card" />
    </svg>
  );
}

export function MicrosoftIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className}>
      <rect x="2" y="2" width="9.5" height="9.5" fill="#F25022" />
      <rect x="12.5" y="2" width="9.5" height="9.5" fill="#7FBA00" />
      <rect x="2" y="12.5" width="9.5" height="9.5" fill="#00A4EF" />
      <rect x="12.5" y="12.5" width="9.5" height="9.5" fill="#FFB900" />
    </svg>
  );
}
