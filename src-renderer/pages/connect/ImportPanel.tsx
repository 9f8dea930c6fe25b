import { useRef, useState } from 'react';
import { importFiles, importPasted } from '../../store/profile-actions';
import { lockOf, useApp } from '../../store/app';

/** Import by file picker, by paste, or (anywhere on the window) by drag-and-drop. */
export function ImportPanel() {
  const input = useRef<HTMLInputElement>(null);
  const [pasting, setPasting] = useState(false);
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const policy = useApp((s) => s.policy);
  const blocked = policy?.values.find((v) => v.key === 'allowUserProfiles')?.value === false;
  const lock = lockOf(policy, 'allowUserProfiles');

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="import">
      <div className="row">
        <button className="primary" disabled={busy || blocked} title={blocked ? lock.why : undefined} onClick={() => input.current?.click()}>
          Import profile…
        </button>
        <button disabled={busy || blocked} title={blocked ? lock.why : undefined} aria-expanded={pasting} onClick={() => setPasting(!pasting)}>
          Paste profile text
        </button>
        <span className="muted">or drop a .conf or .zip from IT anywhere on this window</span>
      </div>
      {blocked ? <p className="muted" role="note">{lock.why}: only profiles provided by your organisation can be used.</p> : null}
      <input
        ref={input}
        type="file"
        accept=".conf,.zip,text/plain,application/zip"
        multiple
        hidden
        data-testid="profile-file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) void run(() => importFiles(files));
        }}
      />
      {pasting ? (
        <form
          className="paste"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => importPasted(text, name.trim() || undefined, () => setText('')));
          }}
        >
          <label>
            Profile text (from [Interface] to the last line)
            <textarea rows={10} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} className="mono" />
          </label>
          <label>
            Name (optional, letters, digits and _=+.- up to 15)
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={15} />
          </label>
          <button type="submit" className="primary" disabled={busy || !text.trim()}>
            Import pasted text
          </button>
        </form>
      ) : null}
    </div>
  );
}
