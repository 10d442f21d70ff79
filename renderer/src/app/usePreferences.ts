import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { Settings, UiSettings } from '../../../electron/contract';
import type { GlossClient } from '../api/client';
import type { Notifier } from './Toasts';
import { applyUiSettings, toggledTheme, useSystemDark } from './theme';
import { callOnUnload } from '../notes/keepalive';

const SAVE_DELAY_MS = 300;

interface Options {
  client: GlossClient;
  settings: Settings;
  setSettings: Dispatch<SetStateAction<Settings>>;
  notify: Notifier;
}

export interface PreferencesState {
  ui: UiSettings;
  systemDark: boolean;
  /** Shows the change at once, then saves it in the notebook; a failed save says so and puts back what is stored. */
  update: (patch: UiSettings) => void;
  toggleTheme: () => void;
  toggleNotes: () => void;
  notesHidden: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
  aboutOpen: boolean;
  setAboutOpen: (open: boolean) => void;
}

/**
 * The app's side of Preferences: applies theme and reading comfort to the page, saves changes, and answers the View
 * menu (Toggle Theme, Toggle Notes Panel) and Help > About. In a browser tab there is no native menu, so the menu's
 * accelerators (Ctrl/Cmd+Shift+L, Ctrl/Cmd+\) are handled here; under Electron the menu sends the command instead, and
 * handling the keys here too would toggle twice.
 */
export function usePreferences({ client, settings, setSettings, notify }: Options): PreferencesState {
  const systemDark = useSystemDark();
  const [open, setOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  // Choices made here that the notebook has not shown back yet. They win over `settings.ui` until it holds them: a
  // reload of the settings that another write's event started can answer with older values after a newer choice
  // (seen with quick key presses on the panel's resize handle), and must not put the older value back on screen.
  const [unsaved, setUnsaved] = useState<UiSettings>({});
  const stored = settings.ui;
  const ui = useMemo(() => ({ ...stored, ...unsaved }), [stored, unsaved]);
  useEffect(() => {
    setUnsaved((u) => {
      const left = Object.entries(u).filter(([key, value]) => JSON.stringify(stored?.[key as keyof UiSettings]) !== JSON.stringify(value));
      return left.length === Object.keys(u).length ? u : (Object.fromEntries(left) as UiSettings);
    });
  }, [stored]);

  useEffect(() => applyUiSettings(ui), [ui]);

  // Saves are batched for a moment: dragging the text-size slider is one write, not thirty (each write also tells
  // every window to reload the settings, which would make the slider jump back to older values mid-drag).
  const pending = useRef<{ patch: UiSettings; timer: ReturnType<typeof setTimeout> } | null>(null);
  const flush = useCallback(
    (onUnload = false) => {
      const batch = pending.current;
      if (!batch) return;
      clearTimeout(batch.timer);
      pending.current = null;
      if (onUnload) return callOnUnload(client, 'updateSettings', { ui: batch.patch });
      client.updateSettings({ ui: batch.patch }).then(
        (saved) => setSettings(saved),
        (e: Error) => {
          notify.error(`Your preference was not saved: ${e.message}. Check that Gloss is still running, then set it again.`);
          setUnsaved({});
          client.getSettings().then(setSettings, () => undefined);
        },
      );
    },
    [client, setSettings, notify],
  );
  const update = useCallback(
    (patch: UiSettings) => {
      setUnsaved((u) => ({ ...u, ...patch }));
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { patch: { ...pending.current?.patch, ...patch }, timer: setTimeout(() => flush(), SAVE_DELAY_MS) };
    },
    [flush],
  );
  useEffect(() => {
    const onHide = (): void => flush(true);
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [flush]);

  const latest = useRef({ ui, systemDark, update });
  latest.current = { ui, systemDark, update };
  const toggleTheme = useCallback(() => {
    const { ui: u, systemDark: dark, update: save } = latest.current;
    save({ theme: toggledTheme(u.theme, dark) });
  }, []);
  const toggleNotes = useCallback(() => {
    const { ui: u, update: save } = latest.current;
    save({ notesHidden: !u.notesHidden });
  }, []);

  useEffect(
    () =>
      client.onCommand((command) => {
        if (command === 'toggle-theme') toggleTheme();
        else if (command === 'toggle-notes') toggleNotes();
        else if (command === 'about') setAboutOpen(true);
      }),
    [client, toggleTheme, toggleNotes],
  );

  useEffect(() => {
    if (client.host !== 'browser') return;
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (event.shiftKey && event.key.toLowerCase() === 'l') toggleTheme();
      else if (!event.shiftKey && event.key === '\\') toggleNotes();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [client, toggleTheme, toggleNotes]);

  return { ui, systemDark, update, toggleTheme, toggleNotes, notesHidden: ui.notesHidden === true, open, setOpen, aboutOpen, setAboutOpen };
}
