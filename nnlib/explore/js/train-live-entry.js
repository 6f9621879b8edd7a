// The training explorer in Jupyter (anywidget): the same block and drawing as the book; nnlib trains in the
// kernel. Traits: face (the block's HTML), config, request (view -> kernel: {n, action, ...}), view (kernel ->
// view: {n, epoch, layers, history}: the network after the epochs nnlib trained, and its loss history).
import NN from "../nn.js";
import { boot } from "./train.js";

// What train.js's boot drives (run, stepEpoch, reset, setLearningRate, setBatchSize; layers, history, epoch),
// answered by the kernel: one request in flight at a time, so a busy kernel slows the picture, not the page.
class KernelTrainer {
  constructor(model, task, options, onUpdate) {
    this.model = model; this.task = task; this.options = options; this.onUpdate = onUpdate;
    this.asked = 0; this.pending = false;
    const v = model.get("view");
    this.apply(v && v.target === task.name ? v : null);  // a new target starts from its own weights
    this.ask({ action: "task", target: task.name, learning_rate: options.learning_rate, batch_size: options.batch_size });
  }
  apply(v) {
    if (!v || !v.layers) {
      this.layers = this.task.layers.map((l) => NN.layer(l.W, l.b, l.activation));
      this.history = { loss: [NaN], accuracy: [NaN], val_loss: [], val_accuracy: [] };
      this.epoch = 0;
      return;
    }
    this.layers = v.layers.map((l) => NN.layer(l.W, l.b, l.activation));
    this.history = v.history;
    this.epoch = v.epoch;
  }
  answer(v) {
    if (v.n < this.asked) return;  // an answer to an older question; the newest is on its way
    this.pending = false;
    this.apply(v);
    this.onUpdate();
  }
  ask(request) {
    this.pending = true;
    this.model.set("request", Object.assign({ n: ++this.asked }, request));
    this.model.save_changes();
  }
  run(epochs) { if (!this.pending) this.ask({ action: "train", epochs }); }
  stepEpoch() { this.ask({ action: "train", epochs: 1 }); }
  reset() { this.ask({ action: "reset" }); }
  setLearningRate(lr) { this.options.learning_rate = lr; this.ask({ action: "set", learning_rate: lr }); }
  setBatchSize(size) { this.options.batch_size = size; this.ask({ action: "set", batch_size: size }); }
}

function render({ model, el }) {
  el.innerHTML = model.get("face");
  const root = el.firstElementChild;
  let trainer = null;
  const inst = boot(root, function (task, options, inst) {
    trainer = new KernelTrainer(model, task, options, () => inst.render(true));
    return trainer;
  }, model.get("config"));
  const onView = () => { if (trainer) trainer.answer(model.get("view")); };
  model.on("change:view", onView);
  return () => { inst.running = false; model.off("change:view", onView); };
}

export default { render };
