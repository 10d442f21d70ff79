import { useCallback, useEffect, useState } from 'react';
import type { Notice } from '../../../electron/contract';
import type { GlossClient } from '../api/client';

interface Props {
  client: GlossClient;
}

/**
 * What the notebook needs the user to know and did not get to say at the time: a damaged file moved aside and restored
 * from a backup, an article that could not be read. The notices are kept in the notebook until dismissed here, so
 * they survive a reload, and a `notice` event (something happened while Gloss was open) refreshes the list.
 */
export function NoticeBanner({ client }: Props) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const refresh = useCallback(() => {
    client.getNotices().then(setNotices, () => undefined);
  }, [client]);

  useEffect(() => {
    refresh();
    return client.subscribe((event) => {
      if (event.type === 'notice') refresh();
    });
  }, [client, refresh]);

  const dismiss = (id: string): void => {
    client.dismissNotice(id).then(
      () => {
        setFailure(null);
        setNotices((list) => list.filter((n) => n.id !== id));
      },
      (e: Error) => setFailure(`Could not dismiss the notice: ${e.message}`),
    );
  };

  if (notices.length === 0) return null;
  return (
    <section className="notice-banners" aria-label="Notebook notices">
      {notices.map((notice) => (
        <div key={notice.id} role="alert" className={`notice-banner notice-${notice.level}`}>
          <p>
            {notice.message}
            <time dateTime={notice.at}> ({new Date(notice.at).toLocaleString()})</time>
          </p>
          <button type="button" onClick={() => dismiss(notice.id)} aria-label="Dismiss this notice">
            Dismiss
          </button>
        </div>
      ))}
      {failure && <p role="status">{failure}</p>}
    </section>
  );
}
