(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("replay-data").textContent);
  const view = document.getElementById("replay-view"), ctx = view.getContext("2d");
  const play = document.getElementById("replay-play"), scrub = document.getElementById("replay-scrub");
  const colours = ["#0072B2", "#E69F00", "#009E73"], W = view.width;
  const at = i => [data.places[2 * i] * W / 1000, data.places[2 * i + 1] * W / 1000];
  const culture = c => `hsl(${(c * 137.5) % 360}, 60%, ${c % 2 ? 40 : 58}%)`;
  let k = 0, timer = null;
  function draw() {
    const f = data.frames[k], n = data.sectors.length;
    ctx.clearRect(0, 0, W, W);
    if (data.lattice) {
      const side = Math.sqrt(n), cell = W / Math.max(side, 1);
      for (let i = 0; i < n; i++) { const [x, y] = at(i); ctx.fillStyle = culture(f.c[i]); ctx.fillRect(x - cell / 2, y - cell / 2, cell - 1, cell - 1); }
    } else {
      for (let j = 0; j < f.p.length; j += 3) {
        const [ax, ay] = at(f.p[j]), [bx, by] = at(f.p[j + 1]);
        ctx.setLineDash(f.p[j + 2] === 1 ? [5, 4] : []); ctx.strokeStyle = "#282828"; ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      }
      ctx.setLineDash([]);
      const r = Math.max(2, Math.min(6, 70 / Math.sqrt(n)));
      for (let i = 0; i < n; i++) { const [x, y] = at(i); ctx.fillStyle = colours[data.sectors[i]] || "#777"; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill(); }
      ctx.strokeStyle = "#D55E00"; ctx.lineWidth = 3;
      f.b.forEach(i => { const [x, y] = at(i); ctx.beginPath(); ctx.arc(x, y, 3 * r, 0, 2 * Math.PI); ctx.stroke(); });
    }
    scrub.value = k;
    document.getElementById("replay-step").textContent = `step ${f.t}` + (data.lattice ? ` · ${f.r} regions` : ` · ${f.n} innovations`);
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "Play"; }
  play.onclick = () => {
    if (timer) { stop(); return; }
    if (k >= data.frames.length - 1) k = 0;
    play.textContent = "Pause";
    timer = setInterval(() => { if (k >= data.frames.length - 1) { stop(); return; } k++; draw(); }, 150);
  };
  scrub.oninput = () => { k = Number(scrub.value); draw(); };
  draw();
})();
