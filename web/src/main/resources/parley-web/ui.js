// Small DOM helpers: every text goes in through textContent, never as HTML.
export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

export const show = (id, visible = true) => {
  $(id).hidden = !visible;
};

export function showError(error) {
  const box = $('error');
  box.textContent = error ? (error.message ?? String(error)) : '';
  box.hidden = !error;
}

export const people = (text) => text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
