// <kinesis-playground>: the playground as a custom element, mounted through the same
// JavaScript interface as Playground.mount. Attributes are the widget's options:
//
//   <kinesis-playground preset="scenario-1" charts="age,loss" controls="shards"
//     speed="86400" window="2d" autoplay></kinesis-playground>
//
// preset: a preset's name (none: the default settings); charts, controls: names
// separated by commas (controls="" shows none); speed: simulated seconds per second;
// window: 15m, 6h, 2d or all; autoplay: start running; full: the whole playground
// instead of the compact widget. Removing the element destroys its playground;
// changing an attribute mounts it afresh. A bad attribute is shown in the element.
// The element's `playground` property is its Playground handle (null when none).
import init, { Playground } from './kinesis-playground.js';

const ready = init({ module_or_path: new URL('./kinesis-playground_bg.wasm', import.meta.url) });
const ATTRIBUTES = ['preset', 'charts', 'controls', 'speed', 'window', 'autoplay', 'full'];

/** The options object an element's attributes ask for. */
function optionsOf(element) {
  const list = (name) => element.getAttribute(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const speed = element.getAttribute('speed');
  const options = {
    compact: !element.hasAttribute('full'),
    autoplay: element.hasAttribute('autoplay') && element.getAttribute('autoplay') !== 'false',
    charts: list('charts'),
    controls: list('controls'),
    // A number when it reads as one; otherwise as written, so the message quotes it.
    speed: speed === null || speed.trim() === '' || Number.isNaN(Number(speed)) ? speed ?? undefined : Number(speed),
    window: element.getAttribute('window') ?? undefined,
  };
  return options;
}

class KinesisPlaygroundElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #handle = null;
  #queued = false;

  /** The Playground mounted in this element, or null. */
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

  // Several attribute changes in one task mount once.
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
