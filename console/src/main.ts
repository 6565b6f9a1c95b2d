import { apiKey, h } from './api.js';
import { showBoard } from './board.js';

const app = document.getElementById('app') as HTMLElement;
const keyForm = document.getElementById('key-form') as HTMLFormElement;
const keyInput = document.getElementById('api-key') as HTMLInputElement;
const tabs = document.querySelectorAll<HTMLButtonElement>('[role="tab"]');

keyInput.value = apiKey.get();
keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  apiKey.set(keyInput.value.trim());
  void open(current);
});
document.getElementById('forget-key')?.addEventListener('click', () => {
  apiKey.clear();
  keyInput.value = '';
});

let current: 'board' | 'studio' = location.hash === '#studio' ? 'studio' : 'board';
for (const tab of tabs) {
  tab.addEventListener('click', () => {
    current = tab.dataset.view as 'board' | 'studio';
    location.hash = current;
    void open(current);
  });
}

async function open(view: 'board' | 'studio'): Promise<void> {
  for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  // Each view renders into its own element: a view still loading when another is opened
  // finishes into an element no longer on the page, instead of beside the new one.
  const root = h('div', {});
  app.replaceChildren(root);
  if (!apiKey.get()) {
    root.append(h('p', { class: 'hint', text: 'Enter an API key above to start.' }));
    return;
  }
  if (view === 'board') await showBoard(root);
  else {
    // The editor is most of the console's weight: it loads only when the studio opens.
    const { showStudio } = await import('./studio.js');
    await showStudio(root);
  }
}

void open(current);
