/**
 * What the core needs from the face it runs in (Electron shell, browser harness, CLI) — a small delegate interface,
 * so domain handlers are tested without Electron. Environment: plain Node.
 */
import type { EventEmitterFn } from '../../contract';

export interface HostDelegate {
  /** Push a contract event to the renderer(s). */
  emit: EventEmitterFn;
  /** A desktop notification (the shell shows one when the window is hidden; the harness records it). */
  notify(level: 'info' | 'warning' | 'error', text: string): void;
  /** Open a file with the OS default application (the report). */
  openPath(file: string): Promise<void>;
  /** Reveal a file in the OS file manager. */
  showItemInFolder(file: string): void;
  /**
   * Let the artist pick a file in a dialog this face owns (Electron: the OS open dialog) — how a program main will
   * run is chosen, never by a path the renderer sends. Resolves null when cancelled. Absent: the face has no dialog.
   */
  chooseFile?(req: { title: string; purpose: 'moonlight' }): Promise<string | null>;
}
