// The live face in Jupyter (anywidget): the same blocks and drawing as the book, numbers from nnlib.
// Traits: face (the block's HTML), config, state (view -> kernel), view (kernel -> view: {n, state, result, moved}).
import { mount } from "./explorer.js";
import { wake } from "./wake.js";

function render({ model, el }) {
  el.innerHTML = model.get("face");
  const root = wake(el.firstElementChild);
  let asked = 0;
  const inst = mount(root, model.get("config"), function (state) {
    model.set("state", Object.assign({}, state, { __n: ++asked }));
    model.save_changes();
  });
  function draw() {
    const v = model.get("view");
    if (!v || !v.result) return;
    if (v.moved) inst.moveTo(v.state);
    inst.show(v.state, v.result);
  }
  model.on("change:view", draw);
  draw();
  return () => model.off("change:view", draw);
}

export default { render };
