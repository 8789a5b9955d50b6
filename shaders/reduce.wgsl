// Reductions.
//   COLUMN_SUMS: out[c] = sum_r x[r, c], one column per invocation, rows in order (the CPU's order);
//                it is the bias gradient, whose columns are few and rows a batch.
//   otherwise:   one workgroup of 256 sums x[0..n) (squared when SQUARES) in a fixed order: each
//                invocation a strided partial sum, then a tree in workgroup memory; invocation 0 then
//                either adds the total and u.count into dst[u.slot], dst[u.slot + 1] (loss and metric
//                accumulators [sum, count]: one add per batch, deterministic) or, with SQUARES, stores
//                the total into dst[u.slot] (the squared norms of gradient clipping).

struct Params {
  n: u32,       // elements (COLUMN_SUMS: rows)
  cols: u32,    // COLUMN_SUMS: columns
  slot: u32,    // where in dst the result goes
  count: f32,   // added to dst[slot + 1] (accumulators)
}

@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;

#if ${COLUMN_SUMS}
@compute @workgroup_size(64)
fn reduce_sum(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = linear_id(gid, nwg, 64u);
  if (c >= u.cols) {
    return;
  }
  var s = 0.0;
  for (var r = 0u; r < u.n; r++) {
    s += x[r * u.cols + c];
  }
  dst[c] = s;
}
#else
const WG = 256u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(256)
fn reduce_sum(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = li; i < u.n; i += WG) {
#if ${SQUARES}
    s += x[i] * x[i];
#else
    s += x[i];
#endif
  }
  partial[li] = s;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (li < half) {
      partial[li] += partial[li + half];
    }
  }
  if (li == 0u) {
#if ${SQUARES}
    dst[u.slot] = partial[0];
#else
    dst[u.slot] += partial[0];
    dst[u.slot + 1u] += u.count;
#endif
  }
}
#endif
