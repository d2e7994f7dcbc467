// Files onto the page: drop a scenario, a saved session or kubectl output
// anywhere (an overlay says what will happen), or pick one with the menu's
// "Open file…" (the hidden input here). Scenarios and sessions open in place
// (asking first when work would be lost); kubectl output goes to the import
// dialog. A file that cannot be read is a notice; the session stays.
import { useEffect, useRef, useState } from 'react';
import { FileReadError, readFileText } from '../session/file-kind';
import { useSession } from '../session/session-context';

export function FileDrop() {
  const session = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  /** Opens a chosen or dropped file; set by the effect below. */
  const openFile = useRef<(f: File | undefined) => Promise<void>>(async () => {});

  useEffect(() => {
    session.setFilePicker(() => input.current?.click());
    return () => session.setFilePicker(null);
  }, [session]);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser opens the file itself, leaving the app.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      void open(e.dataTransfer?.files[0]);
    };
    const open = async (file: File | undefined) => {
      if (!file) return;
      let text: string;
      try {
        text = await readFileText(file);
      } catch (err) {
        session.notify('error', err instanceof FileReadError ? `${err.message} The current session is unchanged.` : String(err));
        return;
      }
      if (session.ui.getState().importDialog) session.openImport(text);
      else session.openText(text, file.name);
    };
    openFile.current = open;
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [session]);

  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml,.json"
        hidden
        data-testid="open-file-input"
        onChange={(e) => {
          void openFile.current(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {dragging && (
        <div className="file-drop" data-testid="file-drop" aria-hidden="true">
          <div className="file-drop-card">
            <strong>Drop to open</strong>
            <span>a scenario or a saved session (.yaml, .json), or kubectl get … -o yaml output to import</span>
          </div>
        </div>
      )}
    </>
  );
}
