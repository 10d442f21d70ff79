import { HIGHLIGHT_COLORS, type HighlightColor, type Settings } from '../../../electron/contract';
import { colorLabel } from '../app/colors';
import { hasTag, tagKey, withoutTag } from './tags';
import { isFiltering, NO_FILTERS, type NoteFilters } from './filter';

interface Props {
  value: NoteFilters;
  onChange: (next: NoteFilters) => void;
  /** Tags offered as filters (those present in what is being filtered). */
  tags: string[];
  settings: Settings;
  /** Accessible name of the filter group ("Filter notes", "Filter highlights"). */
  label: string;
}

/** Text, colour and tag filters: colours and tags are toggle buttons (any of), the text is a search box. */
export function Filters({ value, onChange, tags, settings, label }: Props) {
  const toggleColor = (color: HighlightColor): void =>
    onChange({ ...value, colors: value.colors.includes(color) ? value.colors.filter((c) => c !== color) : [...value.colors, color] });
  const toggleTag = (tag: string): void =>
    onChange({ ...value, tags: hasTag(value.tags, tag) ? withoutTag(value.tags, tag) : [...value.tags, tag] });
  return (
    <div className="filters" role="group" aria-label={label}>
      <input
        type="search"
        className="filter-text"
        aria-label={`${label}: text`}
        placeholder="Filter by text…"
        value={value.text}
        data-filter-text=""
        onChange={(e) => onChange({ ...value, text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value.text) {
            e.stopPropagation();
            onChange({ ...value, text: '' });
          }
        }}
      />
      <div className="filter-row" role="group" aria-label="Colours">
        {HIGHLIGHT_COLORS.map((color) => (
          <button
            key={color}
            type="button"
            className={`filter-chip swatch-${color}`}
            aria-pressed={value.colors.includes(color)}
            onClick={() => toggleColor(color)}
          >
            {colorLabel(color, settings)}
          </button>
        ))}
      </div>
      {tags.length > 0 && (
        <div className="filter-row" role="group" aria-label="Tags">
          {tags.map((tag) => (
            <button key={tagKey(tag)} type="button" className="filter-chip" aria-pressed={hasTag(value.tags, tag)} onClick={() => toggleTag(tag)}>
              #{tag}
            </button>
          ))}
        </div>
      )}
      {isFiltering(value) && (
        <button type="button" className="link-button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
