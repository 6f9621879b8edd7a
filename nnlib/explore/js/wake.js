// What a block's script does first: bring a still face to life. Until it runs (a page read with JavaScript
// off, a stored or untrusted notebook) the block shows a still picture (<img class="nnx-img">, or the trainer's
// and the canvas' own stills), disabled controls and a run note; see nnlib/explore/_face.py.
const NS = "http://www.w3.org/2000/svg";

export function wake(root) {
  if (!root || root.__nnxAwake) return root;
  root.__nnxAwake = true;
  const img = root.querySelector("img.nnx-img");
  if (img) {
    // the live drawing goes into an <svg> of the same size, labelled as the picture was
    const svg = document.createElementNS(NS, "svg"), title = root.querySelector(".nnx-h");
    svg.setAttribute("class", "nnx-svg");
    svg.setAttribute("viewBox", "0 0 " + img.getAttribute("width") + " " + img.getAttribute("height"));
    svg.setAttribute("role", "img");
    const t = document.createElementNS(NS, "title"), d = document.createElementNS(NS, "desc");
    t.textContent = title ? title.textContent : "";
    d.textContent = img.getAttribute("alt") || "";
    svg.appendChild(t);
    svg.appendChild(d);
    img.replaceWith(svg);
  }
  root.querySelectorAll(".nnx-runnote, .nnx-still").forEach((el) => { el.hidden = true; el.style.display = "none"; });
  root.querySelectorAll(".nnx-awake").forEach((el) => { el.hidden = false; el.style.removeProperty("display"); });
  root.querySelectorAll("input[disabled], select[disabled], button[disabled]").forEach((el) => { el.disabled = false; });
  return root;
}
