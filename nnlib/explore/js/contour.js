// Lines where a function of two inputs takes a value: a straight line clipped to a box, and marching squares.

// The part of w0 x + w1 y + b = 0 inside xlim x ylim: [[x, y], [x, y]], or null if it misses the box.
export function clipLine(w0, w1, b, xlim, ylim) {
  const pts = [];
  if (w1 !== 0) for (let i = 0; i < 2; i++) { const y = -(w0 * xlim[i] + b) / w1; if (y >= ylim[0] && y <= ylim[1]) pts.push([xlim[i], y]); }
  if (w0 !== 0) for (let i = 0; i < 2; i++) { const x = -(w1 * ylim[i] + b) / w0; if (x >= xlim[0] && x <= xlim[1]) pts.push([x, ylim[i]]); }
  const u = [];
  pts.forEach(function (p) {
    if (u.every((q) => Math.abs(p[0] - q[0]) > 1e-12 || Math.abs(p[1] - q[1]) > 1e-12)) u.push(p);
  });
  return u.length >= 2 ? [u[0], u[1]] : null;
}

// Marching squares on an nx x ny grid of values v(i, j): the segments [[i, j], [i, j]] (in grid
// coordinates, cut by linear interpolation) where the values cross level.
export function marchingSquares(nx, ny, v, level) {
  const segs = [];
  for (let j = 0; j + 1 < ny; j++) for (let i = 0; i + 1 < nx; i++) {
    const c = [[i, j, v(i, j)], [i + 1, j, v(i + 1, j)], [i + 1, j + 1, v(i + 1, j + 1)], [i, j + 1, v(i, j + 1)]], pts = [];
    for (let e = 0; e < 4; e++) {
      const p = c[e], q = c[(e + 1) % 4];
      if ((p[2] > level) !== (q[2] > level)) {
        const t = (level - p[2]) / (q[2] - p[2]);
        pts.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
    if (pts.length >= 2) segs.push([pts[0], pts[1]]);
    if (pts.length === 4) segs.push([pts[2], pts[3]]);
  }
  return segs;
}

// The same on the grid (rows over gy, columns over gx), in data coordinates: [[x, y], [x, y]] segments.
export function contour(gx, gy, grid, level) {
  // grid points are evenly spaced (linspace), so grid coordinates map linearly to data coordinates
  const at = (axis, u) => { const k = Math.min(axis.length - 2, Math.floor(u)); return axis[k] + (u - k) * (axis[k + 1] - axis[k]); };
  return marchingSquares(gx.length, gy.length, (i, j) => grid[j][i], level)
    .map(([p, q]) => [[at(gx, p[0]), at(gy, p[1])], [at(gx, q[0]), at(gy, q[1])]]);
}
