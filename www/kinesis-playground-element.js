// <kinesis-playground preset="scenario-1" charts="age,loss" controls="shards">: the
// playground as a custom element, through Playground.mount (attributes: see README).
import init, { Playground } from './kinesis-playground.js';

const ready = init({ module_or_path: new URL('./kinesis-playground_bg.wasm', import.meta.url) });
const ATTRIBUTES = ['preset', 'charts', 'controls', 'speed', 'window', 'autoplay', 'full'];

function optionsOf(element) {
  const list = (name) => element.getAttribute(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const speed = element.getAttribute('speed');
  return {
    compact: !element.hasAttribute('full'),
    autoplay: element.hasAttribute('autoplay') && element.getAttribute('autoplay') !== 'false',
    charts: list('charts'),
    controls: list('controls'),
    speed: speed === null || speed.trim() === '' || Number.isNaN(Number(speed)) ? speed ?? undefined : Number(speed),
    window: element.getAttribute('window') ?? undefined,
  };
}

class KinesisPlaygroundElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #handle = null;
  #queued = false;

  get playground() {
    return this.#handle;
  }

  connectedCallback() {
    this.classList.add('playground');
    this.#schedule();
  }

  disconnectedCallback() {
    this.#destroy();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#schedule();
  }

  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    ready.then(() => {
      this.#queued = false;
      if (this.isConnected) this.#mount();
    });
  }

  #mount() {
    this.#destroy();
    try {
      this.#handle = Playground.mount(this, this.getAttribute('preset') ?? undefined, optionsOf(this));
    } catch (e) {
      const note = document.createElement('p');
      note.className = 'status';
      note.setAttribute('role', 'alert');
      note.textContent = e.message;
      this.replaceChildren(note);
    }
  }

  #destroy() {
    if (!this.#handle) return;
    this.#handle.destroy();
    this.#handle.free();
    this.#handle = null;
  }
}

if (!customElements.get('kinesis-playground')) {
  customElements.define('kinesis-playground', KinesisPlaygroundElement);
}
export { KinesisPlaygroundElement };
