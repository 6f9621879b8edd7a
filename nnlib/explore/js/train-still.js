// The training explorer's still pictures, drawn in Node at build time by train.js's own drawing code through an
// SVG canvas (canvas-svg.js): the network at its start and after `epochs` epochs of the page's own training
// (the same Trainer, seed and order as a reader's Train), for readers whose page or notebook runs no script.
import NN from "../nn.js";
import { Trainer, drawRegion, drawLoss, grid, rgbList, readout, REGION, LOSS } from "./train.js";
import { SvgContext } from "./canvas-svg.js";

// cfg: the block's configuration (trainer.py's config()); png(width, height, rgba) -> a data URI.
// Returns {start, trained}, each {region, loss (the children of 400x400 and 400x190 SVGs), readout, epoch, loss_value}.
export function stills(cfg, epochs, png) {
  const state = cfg.state || {};
  const task = cfg.tasks.find((t) => t.name === state.target) || cfg.tasks[0];
  const trainer = new Trainer(task, { loss: cfg.loss, optimizer: cfg.optimizer, seed: cfg.seed,
    learning_rate: +state.learning_rate, batch_size: +state.batch_size });
  const heatCtx = new SvgContext(png);
  const inst = { cfg, trainer, scale: 1, selected: null, region: REGION, loss: LOSS, lut: rgbList(cfg.lut), gridX: grid(cfg),
    heatCanvas: { width: cfg.res, height: cfg.res, __ctx: heatCtx }, heatCtx,
    heatImg: heatCtx.createImageData(cfg.res, cfg.res) };
  function picture() {
    const steps = NN.traceBatch(trainer.layers, inst.gridX, cfg.res * cfg.res, []);
    inst.regionCtx = new SvgContext(png);
    inst.lossCtx = new SvgContext(png);
    drawRegion(inst, steps);
    drawLoss(inst);
    const h = trainer.history;
    return { region: inst.regionCtx.markup(), loss: inst.lossCtx.markup(), readout: readout(inst),
      epoch: trainer.epoch, loss_value: h.loss[h.loss.length - 1] };
  }
  const start = picture();
  for (let e = 0; e < epochs; e++) trainer.stepEpoch();
  return { start, trained: picture() };
}
