// Placeholders in the text where an upload or a paste will land, with its progress: the
// editor keeps typing meanwhile, and the result goes where the placeholder has moved to.
import { Plugin, PluginKey } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';

const key = new PluginKey('pending');

export const pendingPlugin = new Plugin({
  key,
  state: {
    init: () => DecorationSet.empty,
    apply(tr, set) {
      set = set.map(tr.mapping, tr.doc);
      const change = tr.getMeta(key);
      if (change && change.add) {
        const widget = Decoration.widget(change.add.pos, change.add.element, { id: change.add.id });
        set = set.add(tr.doc, [widget]);
      } else if (change && change.remove) {
        set = set.remove(set.find(null, null, (spec) => spec.id === change.remove));
      }
      return set;
    },
  },
  props: {
    decorations: (state) => key.getState(state),
  },
});

/** Shows `label` at the selection; answers the placeholder's handle. */
export function addPending(view, label) {
  const id = {};
  const element = document.createElement('span');
  element.className = 'editor-pending';
  element.textContent = label;
  const tr = view.state.tr.deleteSelection();
  tr.setMeta(key, { add: { id, pos: tr.selection.from, element } });
  view.dispatch(tr);
  return {
    label: (text) => {
      element.textContent = text;
    },
    // Where the placeholder is now, and removes it; null if its place was deleted.
    take() {
      const found = key.getState(view.state).find(null, null, (spec) => spec.id === id);
      view.dispatch(view.state.tr.setMeta(key, { remove: id }));
      return found.length ? found[0].from : null;
    },
  };
}
