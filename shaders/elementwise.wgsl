// Data movement on 32-bit words (float32 and int32 alike), one word per invocation:
//   FILL:   dst[i] = word
//   COPY:   dst[offset + i] = src[i]
//   GATHER: dst[r * cols + c] = src[indices[start + r] * cols + c]   (gatherRows)
// Kept as compute dispatches rather than copyBufferToBuffer so a training step stays one compute pass.

struct Params {
  n: u32,
  word: u32,    // FILL: the bit pattern to store
  offset: u32,  // COPY: first destination word
  cols: u32,    // GATHER: words per row
  start: u32,   // GATHER: first index used
}

@group(0) @binding(0) var<uniform> u: Params;
#if ${COPY}
@group(0) @binding(1) var<storage, read> src: array<u32>;
#elif ${GATHER}
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
#endif
@group(0) @binding(4) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(64)
fn move_words(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linear_id(gid, nwg, 64u);
  if (i >= u.n) {
    return;
  }
#if ${FILL}
  dst[i] = u.word;
#elif ${COPY}
  dst[u.offset + i] = src[i];
#else
  let r = i / u.cols;
  let c = i - r * u.cols;
  dst[i] = src[u32(indices[u.start + r]) * u.cols + c];
#endif
}
