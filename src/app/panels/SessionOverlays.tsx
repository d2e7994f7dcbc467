// What the session verbs put over the app: the file drop target (and the
// hidden file input), the import dialog and the confirm-before-replacing dialog.
import { FileDrop } from './FileDrop';
import { ImportDialog } from './ImportDialog';
import { ReplaceDialog } from './ReplaceDialog';

export function SessionOverlays() {
  return (
    <>
      <FileDrop />
      <ImportDialog />
      <ReplaceDialog />
    </>
  );
}
