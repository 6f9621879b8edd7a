// The playground in Jupyter (anywidget): the same block and drawing as the book; nnlib trains in the kernel.
// Traits: face (the block's HTML), config, request (view -> kernel: {n, run, epochs}: train this run to that many
// epochs), view (kernel -> view: {n, epoch, layers, history}, or {n, error}).
import NN from "../nn.js";
import { boot } from "./playground.js";

// What playground.js drives (run, stepEpoch; layers, history, epoch), answered by the kernel: one request in
// flight at a time, so a busy kernel slows the picture, not the page.
class KernelTrainer {
  constructor(model, task, run, onUpdate) {
    this.model = model; this.run_ = run; this.onUpdate = onUpdate; this.pending = false;
    // Requests are numbered on from the model's last one: a view drawn again (a reloaded page) whose first
    // request repeated an earlier view's would change no trait, so the kernel would never answer it.
    this.asked = (model.get("request") || {}).n || 0;
    this.layers = task.layers.map((l) => NN.layer(l.W, l.b, l.activation));
    this.history = { loss: [NaN], accuracy: [NaN], val_loss: [], val_accuracy: [] };
    this.epoch = 0;
    this.ask(0);
  }
  answer(v) {
    if (v.n < this.asked) return;  // an answer to an older question; the newest is on its way
    this.pending = false;
    if (v.error) { this.error = v.error; this.onUpdate(); return; }
    this.layers = v.layers.map((l) => NN.layer(l.W, l.b, l.activation));
    this.history = v.history;
    this.epoch = v.epoch;
    this.onUpdate();
  }
  ask(epochs) {
    this.pending = true;
    this.target = epochs;  // a second Step before the answer asks for one more than the first
    this.model.set("request", { n: ++this.asked, run: this.run_, epochs });
    this.model.save_changes();
  }
  run(epochs) { if (!this.pending) this.ask(this.epoch + Math.min(epochs, 5)); }
  stepEpoch() { this.ask(this.target + 1); }
}

function render({ model, el }) {
  el.innerHTML = model.get("face");
  let trainer = null;
  const inst = boot(el.firstElementChild, function (task, run, cfg, inst) {
    trainer = new KernelTrainer(model, task, run, () => inst.render && inst.render(true));
    return trainer;
  }, model.get("config"));
  const onView = () => { if (trainer) trainer.answer(model.get("view")); };
  model.on("change:view", onView);
  return () => { inst.running = false; model.off("change:view", onView); };
}

export default { render };
