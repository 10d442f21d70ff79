import { Component, type ReactNode } from 'react';

interface Props {
  /** Which document is shown: another one starts clean (the reader itself is not remounted, it follows the article). */
  articleId: string;
  /** The document's title, to say which one could not be shown. */
  title: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** The document the error was met on. */
  articleId: string;
}

/**
 * Keeps a fault in drawing one document to the reader pane. Without it React unmounts the whole app on a render
 * error: the library, the notes panel and the note being typed go blank with it. Opening another document starts
 * clean; Try again draws this one anew.
 */
export class ReaderBoundary extends Component<Props, State> {
  override state: State = { error: null, articleId: this.props.articleId };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.articleId === state.articleId ? null : { error: null, articleId: props.articleId };
  }

  override componentDidCatch(error: unknown): void {
    console.error('gloss: the reader could not draw this document', error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="load-error">
        <p>
          Gloss could not show “{this.props.title}”: {error.message}
        </p>
        <p>Its highlights and notes are safe in the notes panel.</p>
        <p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>{' '}
          <a href="#/">Back to the library</a>
        </p>
      </div>
    );
  }
}
