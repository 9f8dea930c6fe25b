import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { pageFromHash, PAGES, useApp, type PageId } from '../store/app';
import { HealthBanner } from './HealthBanner';

/** The frame: a navigation landmark with one button per page (Tab / arrow keys / Home / End), the page, notices. */
export function AppFrame({ children }: { children: ReactNode }) {
  const page = useApp((s) => s.page);
  const setPage = useApp((s) => s.setPage);
  const policy = useApp((s) => s.policy);
  const link = useApp((s) => s.link);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [setPage]);

  const onKey = (e: KeyboardEvent, i: number) => {
    const n = PAGES.length;
    const to = e.key === 'ArrowDown' ? (i + 1) % n : e.key === 'ArrowUp' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to >= 0) {
      e.preventDefault();
      refs.current[to]?.focus();
    }
  };

  return (
    <div className="frame">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>Skip to content</a>
      <nav className="nav" aria-label="Main">
        <div className="brand" aria-hidden="true">Longhaul</div>
        <ul>
          {PAGES.map((p, i) => (
            <li key={p.id}>
              <button
                ref={(el) => { refs.current[i] = el; }}
                className={page === p.id ? 'nav-item active' : 'nav-item'}
                aria-current={page === p.id ? 'page' : undefined}
                data-page={p.id}
                onClick={() => setPage(p.id as PageId)}
                onKeyDown={(e) => onKey(e, i)}
              >
                {p.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="nav-foot">
          {policy?.managedByName ? <div className="managed" title="Some settings are set by your organisation">Managed by {policy.managedByName}</div> : null}
          <div className={`link link-${link}`} role="status">{link === 'up' ? 'Ready' : link === 'lost' ? 'Longhaul service unreachable' : 'Starting…'}</div>
        </div>
      </nav>
      {/* Not a live region: the whole page would be re-read at every progress tick. What must be announced has its own
          (Home's "Journey" status, the checklist's progress, verdict alerts). */}
      <main id="main" ref={mainRef} tabIndex={-1} className="page">
        <HealthBanner />
        {children}
      </main>
      <Notices />
    </div>
  );
}

function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  if (!notices.length) return null;
  return (
    <div className="notices" role="log" aria-label="Notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.level}`}>
          <span>{n.text}</span>
          <button onClick={() => dismiss(n.id)} aria-label="Dismiss">×</button>
        </div>
      ))}
    </div>
  );
}
