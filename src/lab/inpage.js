// olika lab in the page: the model runs here, as WebAssembly (OLIKA_WASM, inlined as base64), and
// this script plays the part of `olika lab`'s server — it carries out the page's commands, steps
// the world at the chosen speed (flat out: as many steps as fit in 8 ms an animation frame, at
// most 30 frames a second drawn) and hands the page the setup and the frames the event stream
// would. Strings cross as UTF-8 in the module's memory (web/src/lib.rs). Nothing is fetched.
window.olikaInPage = on => {
  const STEPPING_MS = 8, FRAME_MS = 1000 / 30;
  const encoder = new TextEncoder(), decoder = new TextDecoder();
  let wasm = null, lastFrame = -Infinity, nextStep = 0, stopped = null;
  const giveBytes = bytes => {
    const ptr = wasm.olika_alloc(bytes.length);
    new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  };
  const give = text => giveBytes(encoder.encode(text));
  const outBytes = () => new Uint8Array(wasm.memory.buffer, wasm.olika_out_ptr(), wasm.olika_out_len());
  const out = () => decoder.decode(outBytes());
  const setup = () => { wasm.olika_setup(); on.setup(JSON.parse(out())); };
  const frame = () => {
    const started = performance.now();
    wasm.olika_frame(); on.frame(JSON.parse(out())); lastFrame = performance.now();
    if (window.labStats) window.labStats.frameMs = lastFrame - started;
  };
  const fail = e => {
    stopped = "the model stopped in this browser (" + (e && e.message || e) + "): reload the page to start again";
    if (typeof say === "function") say(stopped, true);
  };
  function tick() {
    if (stopped) return;
    requestAnimationFrame(tick);
    try {
      if (!wasm.olika_busy()) return;
      const start = performance.now(), every = wasm.olika_draw_every();
      const delay = wasm.olika_running() ? wasm.olika_delay() : 0;
      let due = false;
      if (delay > 0) {
        if (start < nextStep) return;
        due = !wasm.olika_work() || wasm.olika_t() % every === 0;
        nextStep = start + delay;
      } else {
        do {
          if (!wasm.olika_work()) { due = true; break; }
          if (wasm.olika_t() % every === 0) due = true;
        } while (wasm.olika_busy() && performance.now() - start < STEPPING_MS);
      }
      // A frame at most every FRAME_MS, give or take the 8 ms an animation frame may be late by.
      const busy = wasm.olika_busy();
      if ((due || !busy) && (performance.now() - lastFrame >= FRAME_MS - 8 || !busy)) frame();
    } catch (e) { fail(e); }
  }
  const bytes = Uint8Array.from(atob(OLIKA_WASM), c => c.charCodeAt(0));
  // The module names a few functions of wasm-bindgen's (plotters and indicatif link them on this
  // target) that the lab never calls: each is given one that says so if it ever were.
  const ready = WebAssembly.compile(bytes).then(module => {
    const imports = {};
    WebAssembly.Module.imports(module).forEach(({ module: from, name, kind }) => {
      if (kind !== "function") return;
      (imports[from] = imports[from] || {})[name] = () => { throw new Error(`${from}.${name} is not available in the page`); };
    });
    return WebAssembly.instantiate(module, imports);
  }).then(instance => {
    wasm = instance.exports;
    const [ptr, len] = give(JSON.stringify(OLIKA_START));
    if (!wasm.olika_start(ptr, len)) throw new Error(out());
    setup(); frame();
    requestAnimationFrame(tick);
  }).catch(fail);
  return {
    send: async command => {
      await ready;
      if (stopped) return { error: stopped };
      try {
        const [ptr, len] = give(JSON.stringify(command));
        const newWorld = wasm.olika_command(ptr, len), answer = JSON.parse(out());
        if (answer.error == null) { if (newWorld) setup(); frame(); nextStep = performance.now(); }
        return answer;
      } catch (e) { fail(e); return { error: stopped }; }
    },
    // Save world: the module writes the state file; the page gets { name, blob } (or { error }).
    saveWorld: async () => {
      await ready;
      if (stopped) return { error: stopped };
      const saved = wasm.olika_save(), bytes = outBytes();
      if (!saved) return { error: decoder.decode(bytes) };
      const newline = bytes.indexOf(10);
      return { name: decoder.decode(bytes.subarray(0, newline)), blob: new Blob([bytes.slice(newline + 1)], { type: "application/octet-stream" }) };
    },
    // Load world: the file's bytes to the module, which checks them and shows its world.
    loadWorld: async (name, buffer) => {
      await ready;
      if (stopped) return { error: stopped };
      try {
        const [namePtr, nameLen] = give(name), [ptr, len] = giveBytes(new Uint8Array(buffer));
        const loaded = wasm.olika_load(namePtr, nameLen, ptr, len), answer = JSON.parse(out());
        if (loaded) { setup(); frame(); nextStep = performance.now(); }
        return answer;
      } catch (e) { fail(e); return { error: stopped }; }
    },
    // "Download this scenario": [file name, the scenario file].
    scenario: () => { if (!wasm || stopped) return ["olika-lab.toml", ""]; wasm.olika_scenario(); return JSON.parse(out()); },
    // The digest of what a frame draws of the world now: the same as natively (tests/olika/lab.rs).
    digest: () => { wasm.olika_digest(); return out(); },
    // Steps n steps of the world on screen flat out, nothing drawn: [steps taken, milliseconds].
    bench: n => {
      const [ptr, len] = give(JSON.stringify({ command: "step", steps: n }));
      wasm.olika_command(ptr, len);
      const started = performance.now(), taken = wasm.olika_work_many(n), ms = performance.now() - started;
      frame();
      return [taken, ms];
    },
  };
};
