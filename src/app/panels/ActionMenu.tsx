// A menu of actions (issue 6 part 2), shared by the node cards and the
// control-plane boxes: a "⋯" button, or a right-click, opens it; it follows
// the WAI-ARIA menu pattern (role menu / menuitem, arrow keys, Home/End,
// Escape or Tab closes and gives focus back to the button). It is drawn in a
// portal on the page, not inside the canvas, so it is readable at any zoom
// and never hidden under another card. Its entries are built when it opens,
// from the cluster as it is then (fault-zone-actions.ts).
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { MenuEntry } from '../canvas/fault-zone-actions';

interface OpenMenu {
  entries: MenuEntry[];
  /** Viewport point the menu hangs from: below-right of a button's corner, or at the pointer. */
  x: number;
  y: number;
  /** Align the menu's right edge to x (under a button at the right of a card). */
  alignRight: boolean;
}

export interface ActionMenuHandle {
  /** The "⋯" button. */
  button: ReactNode;
  /** For the element a right-click opens the menu on. */
  onContextMenu: (e: MouseEvent) => void;
  /** The menu while it is open (render it anywhere: it goes to a portal). */
  popover: ReactNode;
}

interface UseActionMenuInput {
  /** "Actions for node-1": the button's and the menu's accessible name. */
  label: string;
  /** The entries as they are now. */
  build: () => MenuEntry[];
  choose: (entry: MenuEntry) => void;
  testId: string;
  /** Extra classes for the button. */
  className?: string;
}

export function useActionMenu({ label, build, choose, testId, className }: UseActionMenuInput): ActionMenuHandle {
  const [open, setOpen] = useState<OpenMenu | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  const close = useCallback((refocus: boolean) => {
    setOpen(null);
    if (refocus) buttonRef.current?.focus();
  }, []);

  const toggle = (e: MouseEvent) => {
    e.stopPropagation();
    if (open) return close(false);
    const r = buttonRef.current?.getBoundingClientRect();
    setOpen({ entries: build(), x: r ? r.right : 0, y: r ? r.bottom + 4 : 0, alignRight: true });
  };

  const onContextMenu = (e: MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOpen({ entries: build(), x: e.clientX, y: e.clientY, alignRight: false });
  };

  const button = (
    <button
      ref={buttonRef}
      type="button"
      className={`menu-button nodrag nopan${open ? ' is-open' : ''}${className ? ` ${className}` : ''}`}
      data-testid={testId}
      aria-label={label}
      title={`${label} (or right-click)`}
      aria-haspopup="menu"
      aria-expanded={open !== null}
      aria-controls={open ? menuId : undefined}
      onClick={toggle}
      // Enter and Space press the button; they must not reach the card (select) or the window (play/pause).
      onKeyDown={(e) => e.stopPropagation()}
      onPointerDown={(e) => e.stopPropagation()}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <circle cx="3.5" cy="8" r="1.4" fill="currentColor" />
        <circle cx="8" cy="8" r="1.4" fill="currentColor" />
        <circle cx="12.5" cy="8" r="1.4" fill="currentColor" />
      </svg>
    </button>
  );

  const popover = open && (
    <MenuPopover
      id={menuId}
      label={label}
      menu={open}
      onClose={close}
      onChoose={(entry) => {
        close(true);
        choose(entry);
      }}
    />
  );
  return { button, onContextMenu, popover };
}

function MenuPopover({ id, label, menu, onClose, onChoose }: { id: string; label: string; menu: OpenMenu; onClose: (refocus: boolean) => void; onChoose: (e: MenuEntry) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);

  // Placed once measured, inside the window.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const left = Math.max(8, Math.min(menu.alignRight ? menu.x - w : menu.x, window.innerWidth - w - 8));
    const top = Math.max(8, menu.y + h > window.innerHeight - 8 ? menu.y - h - (menu.alignRight ? 36 : 0) : menu.y);
    setPos({ left, top });
    items(el)[0]?.focus();
  }, [menu]);

  // A press anywhere else, a wheel (the canvas zooms under it) or a resize closes it.
  useEffect(() => {
    const outside = (e: Event) => {
      if (ref.current && e.target instanceof globalThis.Node && ref.current.contains(e.target)) return;
      onClose(false);
    };
    const resize = () => onClose(false);
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('wheel', outside, true);
    window.addEventListener('resize', resize);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('wheel', outside, true);
      window.removeEventListener('resize', resize);
    };
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    const list = items(ref.current);
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (n: number) => list[(n + list.length) % list.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(list.length - 1);
    else if (e.key === 'Escape') onClose(true);
    else if (e.key === 'Tab') onClose(true);
    else {
      // Enter and Space press the item; nothing else reaches the page's shortcuts.
      e.stopPropagation();
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return createPortal(
    <div
      ref={ref}
      id={id}
      role="menu"
      aria-label={label}
      className="action-menu"
      data-testid="action-menu"
      style={pos ? { left: pos.left, top: pos.top } : { left: -9999, top: 0 }}
      onKeyDown={onKeyDown}
      // React events bubble out of a portal to the card or box that opened it: they stop here.
      onClick={stop}
      onContextMenu={(e) => {
        e.preventDefault();
        e.stopPropagation();
      }}
      onPointerDown={stop}
    >
      {menu.entries.map((e) => (
        <div key={e.id} role="none" className={e.group ? 'action-menu-group' : undefined}>
          <button
            type="button"
            role="menuitem"
            className={`action-menu-item${e.danger ? ' danger' : ''}`}
            data-testid={`menu-${e.id}`}
            disabled={e.disabled}
            title={e.hint}
            onClick={() => onChoose(e)}
          >
            {e.label}
          </button>
        </div>
      ))}
    </div>,
    document.body,
  );
}

const stop = (e: { stopPropagation(): void }) => e.stopPropagation();

/** The enabled items, in order, for the arrow keys. */
function items(menu: HTMLElement | null): HTMLButtonElement[] {
  return menu ? [...menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')] : [];
}
