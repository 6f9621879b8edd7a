// Colours: "#rrggbb" to [r, g, b] (0..255), and a colour scale through evenly spaced stops.

export function hexToRgb(hex) {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}

// A function t in [0, 1] -> [r, g, b], linear between the stops ("#rrggbb" each).
export function colourScale(stops) {
  const rgb = stops.map(hexToRgb);
  return function (t) {
    const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (rgb.length - 1);
    const k = Math.min(rgb.length - 2, Math.floor(u)), f = u - k;
    return rgb[k].map((c, i) => Math.round(c + f * (rgb[k + 1][i] - c)));
  };
}
